//! Re-running on a cron schedule.

use croner::Cron;
use croner::parser::{CronParser, Seconds, Year};
use driftwise_engine::{Error, ErrorKind};

/// Parses a standard 5-field cron expression (minute hour day-of-month month day-of-week), or 6
/// fields with seconds first (`*/10 * * * * *`: every ten seconds).
pub fn parse(expr: &str) -> Result<Cron, Error> {
    let fields = expr.split_whitespace().count();
    if !(5..=6).contains(&fields) && !expr.trim_start().starts_with('@') {
        return Err(Error::new(
            ErrorKind::Usage,
            format!(
                "cron schedule '{expr}' has {fields} fields; expected 5 (minute hour day month weekday), or 6 with seconds first"
            ),
        ));
    }
    let parser = CronParser::builder()
        .seconds(Seconds::Optional)
        .year(Year::Disallowed)
        .build();
    parser.parse(expr).map_err(|e| {
        Error::new(
            ErrorKind::Usage,
            format!("invalid cron schedule '{expr}': {e}"),
        )
    })
}

/// Sleeps until the schedule's next occurrence after now, in local time.
pub fn wait_for_next(cron: &Cron) -> Result<(), Error> {
    let now = jiff::Zoned::now();
    let next = cron
        .find_next_occurrence(&now, false)
        .map_err(|e| Error::new(ErrorKind::Usage, e.to_string()))?;
    let wait = now.duration_until(&next);
    let wait = std::time::Duration::try_from(wait).unwrap_or_default();
    std::thread::sleep(wait);
    Ok(())
}
