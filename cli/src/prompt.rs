//! `apply --interactive`: asks, per finding, what to do.

use driftwise_engine::{Action, Error, Plan, side_values};
use std::io::{BufRead, Write};

/// Asks, per finding, what to do; `false` when the user quits (or input ends), which changes nothing.
/// Findings in `devices` (network device configurations) are offered with the names network
/// teams use: (o)verride is revert (push the intended configuration), (d)iscover and sync is
/// adopt, (s)kip, and (q) abort.
pub fn ask_per_finding(plan: &mut Plan, devices: &[String]) -> Result<bool, Error> {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    for p in plan.actions.iter_mut() {
        let f = &p.finding;
        let (base_value, env_value) = side_values(f.base.as_ref(), f.env.as_ref());
        let value = |s: &Option<String>| s.as_deref().unwrap_or("-").to_string();
        let default = match p.action {
            Action::Revert => 'r',
            Action::Adopt => 'a',
            Action::Accept => 'c',
            Action::Skip => 's',
        };
        let device = [&f.base, &f.env]
            .into_iter()
            .flatten()
            .any(|side| devices.contains(&side.file));
        let default = match (device, default) {
            (true, 'r') => 'o',
            (true, 'a') => 'd',
            (_, other) => other,
        };
        let choices = if device {
            "(o)verride=revert (d)iscover and sync=adopt a(c)cept (s)kip (q) abort"
        } else {
            "(r)evert (a)dopt a(c)cept (s)kip (q)uit"
        };
        loop {
            eprint!(
                "{} {} {} [{}]: {} -> {}  {choices} [{default}]? ",
                f.environment,
                f.kind.name(),
                f.keyed_path,
                f.severity,
                value(&base_value),
                value(&env_value)
            );
            let _ = std::io::stderr().flush();
            let answer = match lines.next() {
                Some(Ok(line)) => line.trim().to_lowercase(),
                _ => return Ok(false),
            };
            p.action = match answer.chars().next().unwrap_or(default) {
                'r' | 'o' => Action::Revert,
                'a' | 'd' => Action::Adopt,
                'c' => Action::Accept,
                's' => Action::Skip,
                'q' => return Ok(false),
                _ => continue,
            };
            break;
        }
    }
    Ok(true)
}
