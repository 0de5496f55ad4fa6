//! The strict, non-recursive JSON reader.

use super::{Value, MAX_DEPTH};

/// Parses a whole JSON text; `None` on anything invalid.
pub fn parse(s: &str) -> Option<Value> {
    Parser {
        s,
        b: s.as_bytes(),
        i: 0,
    }
    .document()
}

enum Frame {
    Arr(Vec<Value>),
    Obj(Vec<(String, Value)>, String),
}

struct Parser<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn lit(&mut self, word: &[u8], v: Value) -> Option<Value> {
        if self.b.get(self.i..self.i + word.len())? == word {
            self.i += word.len();
            Some(v)
        } else {
            None
        }
    }

    /// `"key"` `:` (with whitespace around the colon).
    fn key(&mut self) -> Option<String> {
        if self.next()? != b'"' {
            return None;
        }
        let k = self.string()?;
        self.ws();
        if self.next()? != b':' {
            return None;
        }
        Some(k)
    }

    fn document(mut self) -> Option<Value> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            self.ws();
            let mut v = match self.next()? {
                c @ (b'{' | b'[') => {
                    if stack.len() >= MAX_DEPTH {
                        return None;
                    }
                    self.ws();
                    if c == b'[' {
                        if self.peek() == Some(b']') {
                            self.i += 1;
                            Value::Arr(Vec::new())
                        } else {
                            stack.push(Frame::Arr(Vec::new()));
                            continue;
                        }
                    } else if self.peek() == Some(b'}') {
                        self.i += 1;
                        Value::Obj(Vec::new())
                    } else {
                        let k = self.key()?;
                        stack.push(Frame::Obj(Vec::new(), k));
                        continue;
                    }
                }
                b'"' => Value::Str(self.string()?),
                b't' => self.lit(b"rue", Value::Bool(true))?,
                b'f' => self.lit(b"alse", Value::Bool(false))?,
                b'n' => self.lit(b"ull", Value::Null)?,
                b'-' | b'0'..=b'9' => {
                    self.i -= 1;
                    Value::Num(self.number()?)
                }
                _ => return None,
            };
            // Attach the finished value to its parents, closing containers as they end.
            loop {
                let close = match stack.last_mut() {
                    None => {
                        self.ws();
                        return if self.i == self.b.len() {
                            Some(v)
                        } else {
                            None
                        };
                    }
                    Some(Frame::Arr(items)) => {
                        items.push(v);
                        self.ws();
                        match self.next()? {
                            b',' => false,
                            b']' => true,
                            _ => return None,
                        }
                    }
                    Some(Frame::Obj(members, key)) => {
                        members.push((std::mem::take(key), v));
                        self.ws();
                        match self.next()? {
                            b',' => {
                                self.ws();
                                *key = self.key()?;
                                false
                            }
                            b'}' => true,
                            _ => return None,
                        }
                    }
                };
                if !close {
                    break;
                }
                v = match stack.pop()? {
                    Frame::Arr(a) => Value::Arr(a),
                    Frame::Obj(m, _) => Value::Obj(m),
                };
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut n = 0u32;
        for _ in 0..4 {
            let d = char::from(self.next()?).to_digit(16)?;
            n = n * 16 + d;
        }
        Some(n)
    }

    /// The rest of a string after its opening quote.
    fn string(&mut self) -> Option<String> {
        let mut out = String::new();
        let mut start = self.i;
        loop {
            let c = self.peek()?;
            if c == b'"' || c == b'\\' || c < 0x20 {
                // Runs only stop at ASCII bytes, so the slice is on char boundaries.
                out.push_str(self.s.get(start..self.i)?);
                self.i += 1;
                if c == b'"' {
                    return Some(out);
                }
                if c < 0x20 {
                    return None;
                }
                let ch = match self.next()? {
                    b'"' => '"',
                    b'\\' => '\\',
                    b'/' => '/',
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    b'n' => '\n',
                    b'r' => '\r',
                    b't' => '\t',
                    b'u' => {
                        let hi = self.hex4()?;
                        let cp = if (0xD800..0xDC00).contains(&hi) {
                            if self.next()? != b'\\' || self.next()? != b'u' {
                                return None;
                            }
                            let lo = self.hex4()?;
                            if !(0xDC00..0xE000).contains(&lo) {
                                return None;
                            }
                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                        } else {
                            hi
                        };
                        char::from_u32(cp)?
                    }
                    _ => return None,
                };
                out.push(ch);
                start = self.i;
            } else {
                self.i += 1;
            }
        }
    }

    fn digits(&mut self) -> usize {
        let from = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - from
    }

    fn number(&mut self) -> Option<f64> {
        let neg = self.peek() == Some(b'-');
        if neg {
            self.i += 1;
        }
        let int_start = self.i;
        let n_int = self.digits();
        if n_int == 0 || (n_int > 1 && self.b.get(int_start) == Some(&b'0')) {
            return None;
        }
        let mut frac_start = self.i;
        let mut n_frac = 0;
        if self.peek() == Some(b'.') {
            self.i += 1;
            frac_start = self.i;
            n_frac = self.digits();
            if n_frac == 0 {
                return None;
            }
        }
        let mut exp: i64 = 0;
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            let eneg = match self.peek() {
                Some(b'-') => {
                    self.i += 1;
                    true
                }
                Some(b'+') => {
                    self.i += 1;
                    false
                }
                _ => false,
            };
            let es = self.i;
            if self.digits() == 0 {
                return None;
            }
            for &d in self.b.get(es..self.i)? {
                exp = (exp * 10 + i64::from(d - b'0')).min(100_000);
            }
            if eneg {
                exp = -exp;
            }
        }
        // Up to 19 significant digits in a u64; the rest only move the exponent.
        let mut m: u64 = 0;
        let mut kept = 0u32;
        let int_digits = self.b.get(int_start..int_start + n_int)?;
        let frac_digits = self.b.get(frac_start..frac_start + n_frac)?;
        for &d in int_digits {
            if kept < 19 {
                m = m * 10 + u64::from(d - b'0');
                if m > 0 {
                    kept += 1;
                }
            } else {
                exp += 1;
            }
        }
        for &d in frac_digits {
            if kept < 19 {
                m = m * 10 + u64::from(d - b'0');
                if m > 0 {
                    kept += 1;
                }
                exp -= 1;
            }
        }
        let mag = if m == 0 { 0.0 } else { scale(m as f64, exp) };
        if !mag.is_finite() {
            return None;
        }
        Some(if neg { -mag } else { mag })
    }
}

fn pow10(n: u32) -> f64 {
    let mut p = 1.0f64;
    if n <= 22 {
        for _ in 0..n {
            p *= 10.0;
        }
        p
    } else {
        10f64.powi(n.min(400) as i32)
    }
}

fn scale(m: f64, exp: i64) -> f64 {
    let e = exp.unsigned_abs().min(1000) as u32;
    if exp >= 0 {
        m * pow10(e)
    } else if e > 300 {
        // Avoid 10^e overflowing to infinity before the division.
        m / pow10(300) / pow10(e - 300)
    } else {
        m / pow10(e)
    }
}
