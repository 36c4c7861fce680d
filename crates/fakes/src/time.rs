//! RFC 3339 timestamps for `created_at` and `updated_at`, without a date library.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, as `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds), as GitHub writes times.
pub(crate) fn now_rfc3339() -> String {
    rfc3339(unix_now())
}

/// Coder's times: each stamp later than the one before, to the microsecond.
///
/// Coder keeps times in Postgres (microseconds) and writes them as Go's
/// `RFC3339Nano` does: `2025-06-01T12:00:00.5Z`, trailing zeros cut, no fraction for a
/// whole second. Two changes within one microsecond still get different stamps, so
/// a test can rely on `updated_at` moving forward with every change.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    /// The last stamp given, in microseconds since the Unix epoch.
    last: u64,
}

impl Clock {
    /// Now, or one microsecond after the last stamp if that is later.
    pub(crate) fn stamp(&mut self) -> String {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| {
                u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX)
            });
        self.last = now.max(self.last.saturating_add(1));
        rfc3339_micros(self.last)
    }
}

/// Seconds since the Unix epoch, now.
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// `seconds` since the Unix epoch as an RFC 3339 UTC timestamp.
pub(crate) fn rfc3339(seconds: u64) -> String {
    let days = seconds / 86_400;
    let rest = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// `micros` since the Unix epoch as Go's `RFC3339Nano` writes it (UTC).
fn rfc3339_micros(micros: u64) -> String {
    let whole = rfc3339(micros / 1_000_000);
    let fraction = micros % 1_000_000;
    if fraction == 0 {
        return whole;
    }
    let digits = format!("{fraction:06}");
    let digits = digits.trim_end_matches('0');
    format!("{}.{digits}Z", whole.trim_end_matches('Z'))
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, for days on or after the epoch).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::{Clock, rfc3339, rfc3339_micros};

    #[test]
    fn known_dates() {
        // Values from `date -u -d @SECONDS +%Y-%m-%dT%H:%M:%SZ`.
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_566_658_522), "2019-08-24T14:55:22Z");
        assert_eq!(rfc3339(4_102_444_799), "2099-12-31T23:59:59Z");
    }

    #[test]
    fn fractions_as_go_writes_them() {
        let second = 1_566_658_522_000_000;
        assert_eq!(rfc3339_micros(second), "2019-08-24T14:55:22Z");
        assert_eq!(rfc3339_micros(second + 500_000), "2019-08-24T14:55:22.5Z");
        assert_eq!(rfc3339_micros(second + 1), "2019-08-24T14:55:22.000001Z");
        assert_eq!(
            rfc3339_micros(second + 123_450),
            "2019-08-24T14:55:22.12345Z"
        );
    }

    #[test]
    fn stamps_move_forward_even_within_a_microsecond() {
        let mut clock = Clock::default();
        let mut last = clock.last;
        for _ in 0..1000 {
            clock.stamp();
            assert!(clock.last > last);
            last = clock.last;
        }
        // A clock ahead of the system's keeps counting from where it is.
        clock.last = 4_102_444_799_000_000;
        assert_eq!(clock.stamp(), "2099-12-31T23:59:59.000001Z");
    }
}
