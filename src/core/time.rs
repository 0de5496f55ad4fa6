//! Dates: ISO 8601 / RFC 3339 date-times to ms since the epoch (no time-zone database).

fn num(b: &[u8], from: usize, len: usize) -> Option<i64> {
    let d = b.get(from..from + len)?;
    let mut n = 0i64;
    for &c in d {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + i64::from(c - b'0');
    }
    Some(n)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses an ISO 8601 / RFC 3339 date-time with an offset (`2026-11-23T07:00:00Z`,
/// `…+02:00`, `…+0200`, optional fractional seconds) into ms since the epoch.
pub fn parse_iso8601_ms(s: &str) -> Option<f64> {
    let b = s.trim().as_bytes();
    let (y, mo, d) = (num(b, 0, 4)?, num(b, 5, 2)?, num(b, 8, 2)?);
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let (h, mi, sec) = (num(b, 11, 2)?, num(b, 14, 2)?, num(b, 17, 2)?);
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let dim = match mo {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=12).contains(&mo) || d < 1 || d > dim || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    let mut ms = 0.0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        let mut scale = 100.0;
        while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            ms += f64::from(c - b'0') * scale;
            scale /= 10.0;
            i += 1;
        }
        if i == start {
            return None;
        }
        ms = ms.floor();
    }
    let offset_min = match b.get(i)? {
        b'Z' | b'z' => {
            i += 1;
            0
        }
        sign @ (b'+' | b'-') => {
            let oh = num(b, i + 1, 2)?;
            let colon = b.get(i + 3) == Some(&b':');
            let om = num(b, i + if colon { 4 } else { 3 }, 2)?;
            i += if colon { 6 } else { 5 };
            if oh > 23 || om > 59 {
                return None;
            }
            let m = oh * 60 + om;
            if *sign == b'-' {
                -m
            } else {
                m
            }
        }
        _ => return None,
    };
    if i != b.len() {
        return None;
    }
    let secs =
        days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec.min(59) - offset_min * 60;
    Some(secs as f64 * 1000.0 + ms)
}
