//! Time: a clock the configuration can replace, and RFC 3339 text for the time claims.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, the one unit of time inside this crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(u64);

impl Timestamp {
    /// The timestamp `millis` milliseconds after the Unix epoch.
    #[must_use]
    pub const fn from_millis(millis: u64) -> Self {
        Self(millis)
    }

    /// Milliseconds since the Unix epoch.
    #[must_use]
    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// The timestamp of a [`SystemTime`]; times before 1970 become the epoch.
    #[must_use]
    pub fn from_system_time(time: SystemTime) -> Self {
        let since_epoch = time.duration_since(UNIX_EPOCH).unwrap_or_default();
        Self(u64::try_from(since_epoch.as_millis()).unwrap_or(u64::MAX))
    }

    pub(crate) fn plus(self, duration: Duration) -> Self {
        let millis = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
        Self(self.0.saturating_add(millis))
    }

    #[cfg(test)]
    pub(crate) fn minus(self, duration: Duration) -> Self {
        let millis = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
        Self(self.0.saturating_sub(millis))
    }

    /// Whole seconds, the precision of `exp`, `iat` and `nbf`.
    pub(crate) fn truncate_to_seconds(self) -> Self {
        Self(self.0 - self.0 % 1000)
    }
}

/// Where the layer reads the current time.
///
/// The default is the system clock. Tests, and applications with a clock of their own,
/// can give the configuration another one.
pub trait Clock: Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> Timestamp;
}

/// The operating system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_system_time(SystemTime::now())
    }
}

/// Largest time RFC 3339 text with a four-digit year can hold: 9999-12-31T23:59:59.999Z.
const MAX_MILLIS: u64 = 253_402_300_799_999;

/// Writes `time` as `YYYY-MM-DDTHH:MM:SSZ`, or with `.mmm` before the `Z` when
/// `with_millis`. Returns `false` past the year 9999.
pub(crate) fn write_rfc3339(out: &mut Vec<u8>, time: Timestamp, with_millis: bool) -> bool {
    if time.0 > MAX_MILLIS {
        return false;
    }

    let seconds = time.0 / 1000;
    let (year, month, day) = civil_from_days(seconds / 86_400);
    let second_of_day = seconds % 86_400;
    let mut text = [0u8; 24];
    put_digits(&mut text[0..4], year);
    text[4] = b'-';
    put_digits(&mut text[5..7], month);
    text[7] = b'-';
    put_digits(&mut text[8..10], day);
    text[10] = b'T';
    put_digits(&mut text[11..13], second_of_day / 3600);
    text[13] = b':';
    put_digits(&mut text[14..16], second_of_day / 60 % 60);
    text[16] = b':';
    put_digits(&mut text[17..19], second_of_day % 60);

    let len = if with_millis {
        text[19] = b'.';
        put_digits(&mut text[20..23], time.0 % 1000);
        text[23] = b'Z';
        24
    } else {
        text[19] = b'Z';
        20
    };
    out.extend_from_slice(&text[..len]);
    true
}

fn put_digits(slot: &mut [u8], mut value: u64) {
    for digit in slot.iter_mut().rev() {
        *digit = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// Reads RFC 3339 date-time text, as other PASETO implementations write it: any
/// fraction of a second (kept to the millisecond) and a `Z` or `±HH:MM` offset.
pub(crate) fn parse_rfc3339(text: &str) -> Option<Timestamp> {
    let bytes = text.as_bytes();
    if bytes.len() < 20 || bytes.len() > 40 {
        return None;
    }
    let separators_ok = bytes[4] == b'-'
        && bytes[7] == b'-'
        && matches!(bytes[10], b'T' | b't')
        && bytes[13] == b':'
        && bytes[16] == b':';
    if !separators_ok {
        return None;
    }

    let year = digits(&bytes[0..4])?;
    let month = digits(&bytes[5..7])?;
    let day = digits(&bytes[8..10])?;
    let hour = digits(&bytes[11..13])?;
    let minute = digits(&bytes[14..16])?;
    let second = digits(&bytes[17..19])?;
    let date_ok =
        year >= 1970 && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
    if !date_ok || hour > 23 || minute > 59 || second > 60 {
        return None;
    }

    let mut rest = &bytes[19..];
    let mut millis = 0;
    if let [b'.', tail @ ..] = rest {
        let fraction_len = tail.iter().take_while(|byte| byte.is_ascii_digit()).count();
        if fraction_len == 0 {
            return None;
        }
        let mut scale = 100;
        for &digit in &tail[..fraction_len.min(3)] {
            millis += u64::from(digit - b'0') * scale;
            scale /= 10;
        }
        rest = &tail[fraction_len..];
    }

    let offset_seconds: i64 = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = digits(&[*h1, *h2])?;
            let minutes = digits(&[*m1, *m2])?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let magnitude = i64::try_from(hours * 3600 + minutes * 60).ok()?;
            if *sign == b'+' { magnitude } else { -magnitude }
        }
        _ => return None,
    };

    // A leap second is read as the last second of its minute.
    let second = second.min(59);
    let days = i64::try_from(days_from_civil(year, month, day)).ok()?;
    let local = days * 86_400 + i64::try_from(hour * 3600 + minute * 60 + second).ok()?;
    let utc = local.checked_sub(offset_seconds)?;
    let millis_total = u64::try_from(utc)
        .ok()?
        .checked_mul(1000)?
        .checked_add(millis)?;
    Some(Timestamp(millis_total))
}

fn digits(bytes: &[u8]) -> Option<u64> {
    bytes.iter().try_fold(0u64, |value, &byte| {
        byte.is_ascii_digit()
            .then(|| value * 10 + u64::from(byte - b'0'))
    })
}

fn is_leap_year(year: u64) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a date in the proleptic Gregorian calendar, for years
/// 1970 to 9999 (earlier dates give `u64` wrap-around, which the caller rules out).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    // Counting from March makes the leap day the last day of the counted year.
    let year = if month <= 2 {
        year.wrapping_sub(1)
    } else {
        year
    };
    let era = year / 400;
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    (era * 146_097 + day_of_era).wrapping_sub(719_468)
}

/// The date of a count of days since 1970-01-01.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let shifted = days + 719_468;
    let era = shifted / 146_097;
    let day_of_era = shifted - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = Vec::with_capacity(24);
        if write_rfc3339(&mut text, *self, true) {
            f.write_str(&String::from_utf8_lossy(&text))
        } else {
            write!(f, "{}ms", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(millis: u64, with_millis: bool) -> String {
        let mut out = Vec::new();
        assert!(write_rfc3339(&mut out, Timestamp(millis), with_millis));
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn formats_known_instants() {
        assert_eq!(format(0, false), "1970-01-01T00:00:00Z");
        assert_eq!(format(951_782_400_000, false), "2000-02-29T00:00:00Z");
        assert_eq!(format(1_796_315_960_123, true), "2026-12-03T16:39:20.123Z");
        assert_eq!(format(MAX_MILLIS, true), "9999-12-31T23:59:59.999Z");
        assert!(!write_rfc3339(
            &mut Vec::new(),
            Timestamp(MAX_MILLIS + 1),
            false
        ));
    }

    #[test]
    fn parses_what_it_formats_and_other_writers_forms() {
        for millis in [0, 951_782_400_000, 1_796_315_960_000, 4_102_444_800_000] {
            assert_eq!(
                parse_rfc3339(&format(millis, false)),
                Some(Timestamp(millis))
            );
        }
        assert_eq!(
            parse_rfc3339("2026-12-03T16:39:20.123Z"),
            Some(Timestamp(1_796_315_960_123))
        );
        assert_eq!(
            parse_rfc3339("2026-12-03T17:39:20+01:00"),
            Some(Timestamp(1_796_315_960_000))
        );
        assert_eq!(
            parse_rfc3339("2026-12-03T16:39:20.123456789-00:00"),
            Some(Timestamp(1_796_315_960_123))
        );
    }

    #[test]
    fn refuses_malformed_text() {
        for text in [
            "",
            "2026-12-03",
            "2026-12-03 16:39:20Z",
            "2026-13-03T16:39:20Z",
            "2026-02-29T16:39:20Z",
            "2026-12-03T24:00:00Z",
            "2026-12-03T16:39:20",
            "2026-12-03T16:39:20.Z",
            "2026-12-03T16:39:20+1:00",
            "1969-12-31T23:59:59Z",
            "+026-12-03T16:39:20Z",
        ] {
            assert_eq!(parse_rfc3339(text), None, "{text}");
        }
    }
}
