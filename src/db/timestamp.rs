//! Instants stored as fixed-width UTC text (`2026-11-21T09:30:00.000000Z`):
//! both databases sort and compare them the same way as text, and the `Any`
//! driver moves text between them without loss.

use std::fmt;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::{Any, AnyTypeInfo};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Decode, Encode, Type};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    pub fn to_db(self) -> String {
        self.0.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
    }

    pub fn parse_db(s: &str) -> Result<Timestamp, chrono::ParseError> {
        Ok(Timestamp(
            DateTime::parse_from_rfc3339(s)?.with_timezone(&Utc),
        ))
    }

    pub fn rfc3339(self) -> String {
        self.0.to_rfc3339_opts(SecondsFormat::Secs, true)
    }

    /// "2026-11-21 09:30" in UTC+8, the city's time, for pages.
    pub fn local_minutes(self) -> String {
        self.0
            .with_timezone(&city_offset())
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    /// The calendar day in the city (UTC+8): deadlines are counted in the
    /// city's working days.
    pub fn local_date(self) -> chrono::NaiveDate {
        self.0.with_timezone(&city_offset()).date_naive()
    }

    /// The time of day in the city.
    pub fn local_time(self) -> chrono::NaiveTime {
        self.0.with_timezone(&city_offset()).time()
    }

    /// The start of `day` in the city.
    pub fn city_midnight(day: chrono::NaiveDate) -> Timestamp {
        let midnight = day.and_time(chrono::NaiveTime::MIN);
        Timestamp(
            midnight.and_utc() - Duration::seconds(i64::from(city_offset().local_minus_utc())),
        )
    }
}

impl std::ops::Add<Duration> for Timestamp {
    type Output = Timestamp;
    fn add(self, d: Duration) -> Timestamp {
        Timestamp(self.0 + d)
    }
}

impl std::ops::Sub<Duration> for Timestamp {
    type Output = Timestamp;
    fn sub(self, d: Duration) -> Timestamp {
        Timestamp(self.0 - d)
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(t: DateTime<Utc>) -> Self {
        Timestamp(t)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

impl Type<Any> for Timestamp {
    fn type_info() -> AnyTypeInfo {
        <String as Type<Any>>::type_info()
    }
}

impl<'q> Encode<'q, Any> for Timestamp {
    fn encode_by_ref(
        &self,
        buf: &mut <Any as sqlx::Database>::ArgumentBuffer<'q>,
    ) -> Result<IsNull, BoxDynError> {
        <String as Encode<'q, Any>>::encode(self.to_db(), buf)
    }
}

impl<'r> Decode<'r, Any> for Timestamp {
    fn decode(value: <Any as sqlx::Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <String as Decode<'r, Any>>::decode(value)?;
        Ok(Timestamp::parse_db(&text)?)
    }
}

fn city_offset() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_text_is_fixed_width_and_sorts_like_time() {
        let a = Timestamp(DateTime::from_timestamp(1_700_000_000, 0).unwrap());
        let b = a + Duration::milliseconds(1);
        assert_eq!(a.to_db().len(), b.to_db().len());
        assert!(a.to_db() < b.to_db());
        assert_eq!(Timestamp::parse_db(&b.to_db()).unwrap(), b);
    }
}
