//! A check kept with its request, so that the plan made next reads the trees the check parsed.

use super::{Checker, Progress};
use crate::device::DeviceCommand;
use crate::error::Result;
use crate::outcome::Outcome;
use crate::request::{Base, Request};
use crate::tree::{Document, Source};

/// A request and its [`Checker`], kept together: a plan made for its report next can read the
/// files the check parsed ([`FreshPlan::reading`](crate::FreshPlan::reading)) rather than parse
/// them again, which was a third of the web worker's plan for a 20 MB pair. Holding the request
/// is what lets the plan know a tree is its file's: it takes the check's tree of a file only when
/// the request holds that file with the same text and format.
#[derive(Debug)]
pub struct Checked {
    request: Request,
    checker: Checker,
}

impl Checked {
    /// Parses, renders and validates everything `request` holds, as [`Checker::new`] does.
    pub fn new(request: Request) -> Result<Checked> {
        Checked::with_progress(request, |_| {})
    }

    /// [`new`](Self::new), announcing each file as it is read.
    pub fn with_progress(request: Request, progress: impl FnMut(Progress<'_>)) -> Result<Checked> {
        let checker = Checker::with_progress(&request, progress)?;
        Ok(Checked { request, checker })
    }

    /// The request.
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// The checker.
    pub fn checker(&self) -> &Checker {
        &self.checker
    }

    /// [`Checker::outcome`].
    pub fn outcome(&self) -> Outcome {
        self.checker.outcome()
    }

    /// The tree the check read from `source`'s text, when the check read a file of that name
    /// with the same text, in the same format and with the same device commands.
    pub(crate) fn tree_of(
        &self,
        source: &Source,
        device_commands: &[DeviceCommand],
    ) -> Option<&Document> {
        let doc = self.checker.as_parsed(&source.name)?;
        let base = match &self.request.base {
            Some(Base::File(file)) => Some(file),
            _ => None,
        };
        let environments = self.request.environments.iter().map(|e| &e.source);
        let mut named = base
            .into_iter()
            .chain(environments)
            .filter(|s| s.name == source.name);
        let read = self.request.with_format(named.next()?);
        let same = named.next().is_none()
            && read.format == source.format
            && crate::words::same_bytes(read.text.as_bytes(), source.text.as_bytes())
            && self.checker.policy.device_commands() == device_commands;
        same.then_some(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Environment;

    fn checked(base: Source, env: Source, keep_going: bool) -> Checked {
        let mut request = Request::new(base, vec![Environment::new("prod", env)]);
        request.options.keep_going = keep_going;
        Checked::new(request).unwrap()
    }

    #[test]
    fn a_files_tree_is_the_checks_only_for_the_same_text_and_format() {
        let base = Source::new("base.yaml", "a: 1\nb: [x, y]\n");
        let env = Source::new("prod.yaml", "a: 2\nb: [x, y]\n");
        let kept = checked(base.clone(), env.clone(), false);
        for source in [&base, &env] {
            let tree = kept.tree_of(source, &[]).expect("the check's tree");
            assert_eq!(tree, &crate::parse(source).unwrap());
        }
        // Another text, format, file or device table is read again.
        let edited = Source::new("prod.yaml", "a: 3\nb: [x, y]\n");
        assert!(kept.tree_of(&edited, &[]).is_none());
        let as_json = Source {
            format: Some(crate::tree::Format::Json),
            ..env.clone()
        };
        assert!(kept.tree_of(&as_json, &[]).is_none());
        assert!(
            kept.tree_of(&Source::new("other.yaml", env.text.clone()), &[])
                .is_none()
        );
        let table: Vec<DeviceCommand> =
            serde_json::from_str(r#"[{"command": "ntp server", "identity": 1}]"#).unwrap();
        assert!(kept.tree_of(&env, &table).is_none());
        // Keeping going (as the web app does), files are read as they are without it.
        let kept = checked(base.clone(), env.clone(), true);
        assert!(kept.tree_of(&base, &[]).is_some() && kept.tree_of(&env, &[]).is_some());
    }

    #[test]
    fn a_kubernetes_list_or_a_directory_is_read_again() {
        let list = "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {k: v}}\n";
        let base = Source::new("base.yaml", list);
        let env = Source::new("live.yaml", list.replace("k: v", "k: w"));
        let kept = checked(base.clone(), env.clone(), false);
        assert!(kept.tree_of(&env, &[]).is_none());
        let dir = |name: &str, text: &str| {
            Source::directory(name, vec![Source::new(format!("{name}/app.yaml"), text)])
        };
        for keep_going in [false, true] {
            let kept = checked(dir("base", "a: 1\n"), dir("prod", "a: 2\n"), keep_going);
            let file = Source::new("prod/app.yaml", "a: 2\n");
            assert!(kept.tree_of(&file, &[]).is_none());
        }
    }
}
