//! The JSON writer: strings, numbers and flat objects.

/// Appends `s` as a quoted, escaped JSON string.
pub fn write_str(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(char::from(HEX[(c as usize) >> 4]));
                out.push(char::from(HEX[(c as usize) & 15]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends the decimal digits of `n`.
pub fn write_u64(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &buf[i..] {
        out.push(char::from(d));
    }
}

/// Appends a JSON number: integers without `.0`; other numbers with up to 9 decimals
/// (rounded, trailing zeros trimmed); non-finite numbers as `null`.
pub fn write_num(out: &mut String, x: f64) {
    if !x.is_finite() {
        out.push_str("null");
        return;
    }
    let mut a = x.abs();
    if x < 0.0 && a != 0.0 {
        out.push('-');
    }
    if a >= 1e19 {
        // Beyond u64: digits of the mantissa and an exponent (approximate, never produced here).
        let mut e = 0u64;
        while a >= 1e19 {
            a /= 10.0;
            e += 1;
        }
        write_u64(out, a as u64);
        out.push('e');
        write_u64(out, e);
        return;
    }
    let mut int = a.trunc() as u64;
    let mut frac = ((a - a.trunc()) * 1e9).round() as u64;
    if frac >= 1_000_000_000 {
        int += 1;
        frac -= 1_000_000_000;
    }
    write_u64(out, int);
    if frac > 0 {
        let mut digits = [b'0'; 9];
        for d in digits.iter_mut().rev() {
            *d = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        let mut end = digits.len();
        while end > 0 && digits[end - 1] == b'0' {
            end -= 1;
        }
        out.push('.');
        for &d in &digits[..end] {
            out.push(char::from(d));
        }
    }
}

/// Writes one flat JSON object, member by member.
///
/// ```
/// use nexudus_auth::core::json::ObjectWriter;
/// let mut w = ObjectWriter::new();
/// w.str("email", "a@b.c").num("businessId", 42.0).null("x");
/// assert_eq!(w.finish(), r#"{"email":"a@b.c","businessId":42,"x":null}"#);
/// ```
pub struct ObjectWriter {
    out: String,
}

impl Default for ObjectWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl ObjectWriter {
    /// Starts an empty object.
    pub fn new() -> Self {
        Self {
            out: String::from("{"),
        }
    }

    fn key(&mut self, k: &str) -> &mut String {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        write_str(&mut self.out, k);
        self.out.push(':');
        &mut self.out
    }

    /// Adds a string member.
    pub fn str(&mut self, k: &str, v: &str) -> &mut Self {
        write_str(self.key(k), v);
        self
    }

    /// Adds a number member (integers are printed without `.0`; non-finite → `null`).
    pub fn num(&mut self, k: &str, v: f64) -> &mut Self {
        write_num(self.key(k), v);
        self
    }

    /// Adds a boolean member.
    pub fn bool(&mut self, k: &str, v: bool) -> &mut Self {
        self.key(k).push_str(if v { "true" } else { "false" });
        self
    }

    /// Adds a `null` member.
    pub fn null(&mut self, k: &str) -> &mut Self {
        self.key(k).push_str("null");
        self
    }

    /// Adds a member whose value is already JSON text (written as is, not checked).
    pub fn raw(&mut self, k: &str, json: &str) -> &mut Self {
        self.key(k).push_str(json);
        self
    }

    /// Closes the object and returns its text (the writer is left empty).
    pub fn finish(&mut self) -> String {
        let mut s = std::mem::take(&mut self.out);
        s.push('}');
        s
    }
}
