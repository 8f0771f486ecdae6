//! Request in, outcome out: the one path every front door takes. Parse every input, render a
//! template base per environment, diff each environment under the policy's alignment options,
//! classify the findings, validate, mask.

mod checked;
mod layered;
mod listed;

pub use checked::Checked;
pub use layered::layers;
pub use listed::{ReadFile, read_listed, run_in_groups, run_listed};

use crate::compare::{Pair, compare, file_ref};
use crate::desired::{Desired, Rendering, attach_origins, render_for, template_ref, with_origins};
use crate::error::{Error, ErrorKind, Result};
use crate::outcome::{FailedInput, Outcome};
use crate::parse::{ParseOptions, parse, parse_all_with, parse_with};
use crate::policy::{Explanation, Policy};
use crate::provider::{Profile, Profiles};
use crate::report::{FileRef, Report};
use crate::request::{Base, Request, find_file};
use crate::secrets::Secrets;
use crate::severity::Severity;
use crate::span::Lines;
use crate::template::{Rendered, is_template_name};
use crate::tree::{Document, Source};
use crate::vars::{Vars, context};
use crate::violation::{Validation, Violation};
use serde_json::{Map as JsonMap, Value as J};

/// What the engine is doing, for progress bars: reading file `step` of `steps`, or comparing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress<'a> {
    /// 1-based; the last step is the comparison.
    pub step: usize,
    /// Files to read plus one for the comparison.
    pub steps: usize,
    /// The file being read, or `None` while comparing.
    pub file: Option<&'a str>,
}

/// Runs a check: the report (findings and violations) for `request`.
///
/// ```
/// use driftwise_engine::{Environment, Request, Source, run};
/// let request = Request::new(
///     Source::new("base.yaml", "db: {host: a, port: 5432}\n"),
///     vec![Environment::from_source(Source::new("prod.yaml", "db: {host: b, port: 5432}\n"))],
/// );
/// let outcome = run(&request).unwrap();
/// assert_eq!(outcome.report.findings[0].path, "/db/host");
/// assert_eq!(outcome.report.findings[0].env.as_ref().unwrap().span.start.column, 12);
/// ```
pub fn run(request: &Request) -> Result<Outcome> {
    Ok(Checker::new(request)?.outcome())
}

/// [`run`], announcing each step.
pub fn run_with_progress(request: &Request, progress: impl FnMut(Progress<'_>)) -> Result<Outcome> {
    Ok(Checker::with_progress(request, progress)?.outcome())
}

/// A request with every input parsed, rendered and validated: compare as often as needed without
/// reading anything again.
#[derive(Debug)]
pub struct Checker {
    policy: Policy,
    base: FileRef,
    /// One base, or one rendering of a template per environment name.
    bases: Vec<Document>,
    /// Each environment, with the index of its base.
    environments: Vec<(String, Document, usize)>,
    violations: Vec<Violation>,
    /// Template renderings: their texts for source views, their span maps for origins.
    renderings: Vec<Rendering>,
    /// Values an input marks sensitive itself (a Terraform plan's `*_sensitive`), by file.
    sensitive: Vec<(String, Vec<String>)>,
    /// For a Terraform plan: per environment, each resource's pointer and its action.
    resource_actions: Vec<(String, String, String)>,
    /// For a layered base: the estate, whose layers name where each value was set.
    layers: Option<crate::layers::Layers>,
    /// With `keep_going`: the inputs left out.
    failed: Vec<FailedInput>,
    /// The files (not directories) whose tree here is what parsing the request's source with the
    /// policy's options gives (no Kubernetes List made into its objects), by name.
    as_parsed: Vec<String>,
}

impl Checker {
    /// Parses, renders and validates everything `request` holds.
    pub fn new(request: &Request) -> Result<Checker> {
        Checker::with_progress(request, |_| {})
    }

    /// [`new`](Self::new), announcing each file as it is read.
    pub fn with_progress(
        request: &Request,
        mut progress: impl FnMut(Progress<'_>),
    ) -> Result<Checker> {
        require_features(request)?;
        require_distinct_environments(request)?;
        let mut failed = Vec::new();
        let mut policy = match compile_policy(request) {
            Ok(policy) => policy,
            Err(e) if request.options.keep_going => {
                let policy_file = request.policy.as_ref().map(|p| p.name.as_str());
                let texts: Vec<&Source> = request.policy.iter().chain(&request.files).collect();
                failed.push(FailedInput::new(
                    &e,
                    policy_file.unwrap_or("policy"),
                    None,
                    &texts,
                ));
                Policy::default()
            }
            Err(e) => return Err(e),
        };
        let base = request.base()?;
        let formatted: Vec<std::borrow::Cow<'_, Source>> = request
            .environments
            .iter()
            .map(|e| request.with_format(&e.source))
            .collect();
        let env_sources: Vec<&Source> = formatted.iter().map(|s| s.as_ref()).collect();
        let steps = env_sources.len() + 2;
        let inputs = Inputs::load(request)?;
        let mut layers = None;
        let mut as_parsed = Vec::new();
        let (base_ref, mut bases, mut base_of, renderings) = match base {
            Base::File(source) => {
                let source = request.with_format(source);
                progress(Progress {
                    step: 1,
                    steps,
                    file: Some(&source.name),
                });
                let doc = parse_with(&source, policy.parse_options())?;
                if kept_as_parsed(&source, &doc) {
                    as_parsed.push(source.name.clone());
                }
                let doc = crate::live::compared(doc)?;
                if env_sources.is_empty() && crate::terraform::is_plan(&doc) {
                    return Checker::terraform(request, policy, &doc);
                }
                (file_ref(&doc), vec![doc], vec![0; env_sources.len()], None)
            }
            Base::Template { template } => {
                progress(Progress {
                    step: 1,
                    steps,
                    file: Some(&template.name),
                });
                inputs.render_bases(template, request)?
            }
            Base::Recorded { recorded, label } => {
                progress(Progress {
                    step: 1,
                    steps,
                    file: label.as_deref(),
                });
                let (bases, base_of) = recorded_bases(recorded, &env_sources, &policy)?;
                let base_ref = FileRef {
                    file: label
                        .clone()
                        .unwrap_or_else(|| "recorded versions".to_string()),
                    format: bases
                        .first()
                        .map_or(crate::tree::Format::Yaml, |b| b.format),
                    documents: bases.first().map_or(0, |b| b.documents.len()),
                };
                (base_ref, bases, base_of, None)
            }
            Base::Layers { layers: selection } => {
                progress(Progress {
                    step: 1,
                    steps,
                    file: policy.source_name(),
                });
                if env_sources.is_empty() {
                    let estate = inputs.layers(request, &policy, &selection.environments)?;
                    return Checker::layered(request, policy, &inputs, estate, selection);
                }
                let (estate, bases, base_of) =
                    Checker::layered_bases(request, &policy, &inputs, selection)?;
                let base_ref = FileRef {
                    file: estate.policy().to_string(),
                    ..file_ref(&bases[0])
                };
                layers = Some(estate);
                (base_ref, bases, base_of, None)
            }
        };
        // Live output (a `kubectl get` List) is compared as the objects it holds.
        let docs: Vec<Option<Document>> = if request.options.keep_going {
            let mut docs = Vec::with_capacity(env_sources.len());
            for (i, (source, env)) in env_sources.iter().zip(&request.environments).enumerate() {
                progress(Progress {
                    step: 2 + i,
                    steps,
                    file: Some(&source.name),
                });
                let read = crate::parse::parse_keeping_going(source, policy.parse_options())
                    .and_then(|(doc, unread)| {
                        let as_read = kept_as_parsed(source, &doc);
                        Ok((crate::live::compared(doc)?, unread, as_read))
                    });
                match read {
                    Ok((doc, unread, as_read)) => {
                        if as_read {
                            as_parsed.push(source.name.clone());
                        }
                        // A directory's files that cannot be read are reported, and the rest
                        // compared with a base without its files at those paths.
                        if !unread.is_empty() {
                            let texts: Vec<&Source> = source.files.iter().collect();
                            for e in &unread {
                                failed.push(FailedInput::new(
                                    e,
                                    &source.name,
                                    Some(&env.name),
                                    &texts,
                                ));
                            }
                            if renderings.is_none() {
                                let left_out: Vec<&str> = unread
                                    .iter()
                                    .map(|e| {
                                        let file = e.file.as_deref().unwrap_or_default();
                                        crate::parse::relative_name(&source.name, file)
                                    })
                                    .collect();
                                let trimmed =
                                    crate::parse::without_files(&bases[base_of[i]], &left_out);
                                base_of[i] = bases.len();
                                bases.push(trimmed);
                            }
                        }
                        docs.push(Some(doc));
                    }
                    Err(e) => {
                        failed.push(FailedInput::new(
                            &e,
                            &source.name,
                            Some(&env.name),
                            &[source],
                        ));
                        docs.push(None);
                    }
                }
            }
            docs
        } else {
            let parsed = parse_each(
                &env_sources,
                2,
                steps,
                &mut progress,
                policy.parse_options(),
            )?;
            for (source, doc) in env_sources.iter().zip(&parsed) {
                if kept_as_parsed(source, doc) {
                    as_parsed.push(source.name.clone());
                }
            }
            parsed
                .into_iter()
                .map(|d| crate::live::compared(d).map(Some))
                .collect::<Result<Vec<_>>>()?
        };
        // Argo CD's managedFieldsManagers: the fields those managers own in the live objects.
        policy.ignore_managed_fields(
            bases
                .iter()
                .chain(docs.iter().flatten())
                .flat_map(|d| d.documents.iter()),
        );
        // What the objects on either side make: replicas autoscalers set, StatefulSets' claims.
        policy.derive_kubernetes_rules(
            bases
                .iter()
                .chain(docs.iter().flatten())
                .flat_map(|d| d.documents.iter()),
        );
        progress(Progress {
            step: steps,
            steps,
            file: None,
        });
        let environments: Vec<(String, Document, usize)> = request
            .environments
            .iter()
            .zip(docs)
            .zip(base_of)
            .filter_map(|((e, doc), b)| Some((e.name.clone(), doc?, b)))
            .collect();
        let mut violations = Vec::new();
        match &renderings {
            Some(renderings) => {
                for r in renderings {
                    violations.extend(inputs.validate_rendering(r));
                }
            }
            None => {
                let ctx = inputs.context(request, request.env.as_deref());
                for doc in &bases {
                    violations.extend(inputs.validate_doc(doc, &ctx));
                }
            }
        }
        for (name, doc, _) in &environments {
            let env = request.env.as_deref().unwrap_or(name);
            violations.extend(inputs.validate_doc(doc, &inputs.context(request, Some(env))));
        }
        Ok(Checker {
            policy,
            base: base_ref,
            bases,
            environments,
            violations,
            renderings: renderings.unwrap_or_default(),
            sensitive: Vec::new(),
            resource_actions: Vec::new(),
            layers,
            failed,
            as_parsed,
        })
    }

    /// The tree of the file `name` as parsing it with the policy's options gives it, when the
    /// check holds exactly that for one file of that name.
    pub(crate) fn as_parsed(&self, name: &str) -> Option<&Document> {
        if self.as_parsed.iter().filter(|n| *n == name).count() != 1 {
            return None;
        }
        let mut docs = (self.bases.iter())
            .chain(self.environments.iter().map(|(_, doc, _)| doc))
            .filter(|d| d.name == name);
        let doc = docs.next()?;
        docs.next().is_none().then_some(doc)
    }

    /// A Terraform plan given alone: its recorded state against the refreshed one (`live`), and
    /// with `include_planned`, against what apply would make (`planned`).
    fn terraform(request: &Request, policy: Policy, plan: &Document) -> Result<Checker> {
        let comparisons = crate::terraform::comparisons(plan, request.options.include_planned)?;
        let mut bases = Vec::new();
        let mut environments = Vec::new();
        let mut sensitive = Vec::new();
        let mut resource_actions = Vec::new();
        for c in comparisons {
            resource_actions.extend(
                c.actions
                    .into_iter()
                    .map(|(pointer, action)| (c.environment.clone(), pointer, action)),
            );
            environments.push((c.environment, c.env, bases.len()));
            bases.push(c.base);
            sensitive.extend(c.sensitive);
        }
        Ok(Checker {
            policy,
            base: file_ref(plan),
            bases,
            environments,
            violations: Vec::new(),
            renderings: Vec::new(),
            sensitive: vec![(plan.name.clone(), sensitive)],
            resource_actions,
            layers: None,
            failed: Vec::new(),
            as_parsed: Vec::new(),
        })
    }

    /// How the policy classifies each difference at `path` (a keyed path or pointer as reports
    /// show it, `/` for a whole file), ignored ones included: every rule tried in order, which
    /// one decided, and why the others did not apply. Empty when nothing differs there.
    pub fn explain(&self, path: &str) -> Vec<Explanation> {
        crate::compare::explain(&self.pairs(), &self.policy, path)
    }

    /// Each environment with the base it is compared against.
    fn pairs(&self) -> Vec<Pair<'_>> {
        self.environments
            .iter()
            .map(|(name, doc, b)| Pair {
                environment: name,
                base: &self.bases[*b],
                env: doc,
            })
            .collect()
    }

    /// Compares every environment with its base and classifies the findings.
    pub fn outcome(&self) -> Outcome {
        let pairs = self.pairs();
        let objects = crate::compare::objects_of(&pairs);
        let mut report: Report = compare(self.base.clone(), &pairs, &self.policy, &objects);
        report.violations = self.violations.clone();
        let docs = || {
            self.bases
                .iter()
                .chain(self.environments.iter().map(|(_, d, _)| d))
        };
        if let Some(summary) = &mut report.policy {
            summary.stale.extend(self.policy.unused_rules(docs()));
        }
        let mut secrets = Secrets::of(docs(), &self.policy);
        if !self.policy.reveals_secrets() {
            for (file, pointers) in &self.sensitive {
                secrets.mark(file, pointers, docs());
            }
        }
        secrets.mask_report(&mut report);
        attach_origins(&mut report, &self.renderings);
        attribute_to_files(&mut report, &pairs);
        if let Some(estate) = &self.layers {
            layered::attribute_to_layers(&mut report, estate);
        }
        resolve_positions(&mut report, &pairs);
        for f in &mut report.findings {
            let path = f.keyed_path.as_str();
            f.resource_action = self
                .resource_actions
                .iter()
                .find(|(env, pointer, _)| {
                    *env == f.environment
                        && path
                            .strip_prefix(pointer.as_str())
                            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
                })
                .map(|(_, _, action)| action.clone());
        }
        let rendered = self
            .renderings
            .iter()
            .map(|r| r.rendered.source.clone())
            .collect();
        Outcome {
            report,
            rendered,
            secrets: secrets.spans(docs()),
            objects: objects.of_file.into_iter().collect(),
            groups: objects.groups.into_iter().collect(),
            failed: self.failed.clone(),
        }
    }
}

/// Each environment's recorded version (the recorded file of its name, `@` suffix aside), or
/// nothing when the recording lacks it; and which base each environment is compared with.
fn recorded_bases(
    recorded: &[Source],
    environments: &[&Source],
    policy: &Policy,
) -> Result<(Vec<Document>, Vec<usize>)> {
    let mut bases = Vec::with_capacity(environments.len());
    for env in environments {
        let found = recorded
            .iter()
            .find(|r| r.name.split_once('@').map_or(r.name.as_str(), |(n, _)| n) == env.name);
        let doc = match found {
            Some(source) => {
                // A recorded name's `@` suffix hides its extension: read it as the file is read.
                let format = source.format.or_else(|| env.resolved_format().ok());
                let source = match format {
                    Some(format) => source.in_format(format),
                    None => std::borrow::Cow::Borrowed(source),
                };
                crate::live::compared(parse_with(&source, policy.parse_options())?)?
            }
            None => Document {
                name: format!("{}@nothing", env.name),
                format: env.resolved_format().unwrap_or(crate::tree::Format::Yaml),
                documents: Vec::new(),
                origins: Vec::new(),
                lines: Vec::new(),
            },
        };
        bases.push(doc);
    }
    let base_of = (0..environments.len()).collect();
    Ok((bases, base_of))
}

/// Works out the line and column of every span in `report` (the diff and the validators give
/// offsets) from the lines of the file each names: a finding's side from its own side's document
/// (two files of one name may differ), a violation from whichever document read its file.
fn resolve_positions(report: &mut Report, pairs: &[Pair<'_>]) {
    use std::collections::HashMap;
    // By file name, since a directory's document knows the lines of each of its thousands of files.
    type ByFile<'d> = HashMap<&'d str, &'d Lines>;
    fn by_file(doc: &Document) -> ByFile<'_> {
        doc.lines.iter().map(|(f, l)| (f.as_str(), l)).collect()
    }
    let sides: Vec<(&str, ByFile<'_>, ByFile<'_>)> = pairs
        .iter()
        .map(|p| (p.environment, by_file(p.base), by_file(p.env)))
        .collect();
    for f in &mut report.findings {
        let Some((_, base, env)) = sides.iter().find(|(e, _, _)| *e == f.environment) else {
            continue;
        };
        for (side, lines) in [(f.base.as_mut(), base), (f.env.as_mut(), env)] {
            if let Some(side) = side
                && let Some(lines) = lines.get(side.file.as_str())
            {
                side.resolve(lines);
            }
        }
    }
    for v in &mut report.violations {
        let lines = sides
            .iter()
            .find_map(|(_, base, env)| env.get(v.file.as_str()).or(base.get(v.file.as_str())));
        if let Some(lines) = lines {
            v.resolve(lines);
        }
    }
}

/// For a directory, each finding's sides name the file the value is in and its pointer there, not
/// the directory and the directory's pointer (so a side is a place in one file, as for layers);
/// so does the place a value would be added (`insert_at`, with `insert_file`). Violations name the
/// file.
fn attribute_to_files(report: &mut Report, pairs: &[Pair<'_>]) {
    use crate::tree::Locator;
    if pairs
        .iter()
        .all(|p| p.base.origins.is_empty() && p.env.origins.is_empty())
    {
        return;
    }
    let located: Vec<(&Pair<'_>, Locator<'_>, Locator<'_>)> = pairs
        .iter()
        .map(|p| (p, Locator::new(p.base), Locator::new(p.env)))
        .collect();
    for f in &mut report.findings {
        let Some((pair, base, env)) = located
            .iter()
            .find(|(p, _, _)| *p.environment == f.environment)
        else {
            continue;
        };
        let stream = pair.stream();
        let in_file = |doc: &Document, locator: &Locator<'_>, side: &mut crate::finding::Side| {
            if side.file == doc.name && !doc.origins.is_empty() {
                let (file, pointer) = locator.locate(&side.path, stream);
                (side.file, side.path) = (file.to_string(), pointer.into_owned());
            }
        };
        // The side that lacks the value is where it would be added.
        let lacking = match (&f.base, &f.env) {
            (Some(_), None) => Some((pair.env, env)),
            (None, Some(_)) => Some((pair.base, base)),
            _ => None,
        };
        if let (Some((doc, locator)), Some(at)) = (lacking, &f.insert_at)
            && !doc.origins.is_empty()
        {
            let (file, pointer) = locator.locate(at, stream);
            if file != doc.name {
                (f.insert_file, f.insert_at) = (Some(file.to_string()), Some(pointer.into_owned()));
            }
        }
        if let Some(side) = &mut f.base {
            in_file(pair.base, base, side);
        }
        if let Some(side) = &mut f.env {
            in_file(pair.env, env, side);
        }
    }
    let located = located
        .iter()
        .flat_map(|(p, base, env)| [(p.base, base), (p.env, env)]);
    for (doc, locator) in located.filter(|(d, _)| !d.origins.is_empty()) {
        let stream = doc.documents.len() != 1;
        for v in report.violations.iter_mut().filter(|v| v.file == doc.name) {
            v.file = locator.locate(&v.path, stream).0.to_string();
        }
    }
}

/// Parses the sources, reporting each as step `first + i`. Natively all at once on every core
/// (parsing is most of a check's time); in a browser one by one, so a progress bar moves.
/// Whether the check keeps `doc`, parsed from `source`, as parsing gave it: a file's tree, not a
/// directory's nor a Kubernetes List's (compared as its objects).
fn kept_as_parsed(source: &Source, doc: &Document) -> bool {
    !source.is_directory() && !crate::live::is_list(doc)
}

fn parse_each(
    sources: &[&Source],
    first: usize,
    steps: usize,
    progress: &mut impl FnMut(Progress<'_>),
    options: ParseOptions<'_>,
) -> Result<Vec<Document>> {
    if cfg!(target_arch = "wasm32") {
        let mut docs = Vec::with_capacity(sources.len());
        for (i, source) in sources.iter().enumerate() {
            progress(Progress {
                step: first + i,
                steps,
                file: Some(&source.name),
            });
            docs.push(parse_with(source, options)?);
        }
        return Ok(docs);
    }
    if let Some(last) = sources.last() {
        progress(Progress {
            step: first + sources.len() - 1,
            steps,
            file: Some(&last.name),
        });
    }
    parse_all_with(sources, options)
}

/// The policy file, the Argo CD applications it names (from the request's files) and those given
/// directly, and the request's overrides.
impl Request {
    /// The policy this request runs under: its policy file with the Argo CD applications it
    /// names or the request gives, `fail_on` and `reveal_secrets` applied. Front doors mask what
    /// they show of a plan's preview with it ([`Preview::masked`](crate::Preview::masked)).
    pub fn policy(&self) -> Result<Policy> {
        compile_policy(self)
    }
}

fn compile_policy(request: &Request) -> Result<Policy> {
    let mut policy = match &request.policy {
        Some(source) => Policy::compose(source, &mut |name, _| {
            find_file(&request.files, name)?.cloned().ok_or_else(|| {
                Error::new(
                    ErrorKind::Usage,
                    format!("the policy includes {name}, which was not given"),
                )
            })
        })?,
        None => Policy::default(),
    };
    let mut imported = Vec::new();
    for (name, at) in policy.argocd_files() {
        let app = find_file(&request.files, &name)
            .map_err(|e| e.in_file(policy.source_name().unwrap_or_default().to_string()))?
            .ok_or_else(|| policy.missing_argocd(&name, at))?
            .clone();
        policy.import_argocd(&app)?;
        imported.push(app.name);
    }
    // An application given directly that the policy also names is imported once.
    for app in request
        .argocd
        .iter()
        .filter(|a| !imported.contains(&a.name))
    {
        policy.import_argocd(app)?;
    }
    policy.apply_presets(&request.options.presets)?;
    if let Some(level) = request.options.fail_on {
        policy = policy.with_fail_on(level);
    }
    Ok(policy
        .revealing_secrets(request.options.reveal_secrets)
        .as_of(request.options.today.as_deref()))
}

/// Refuses two environments of one name, naming both: a report keeps each environment's findings
/// and counts under its name, so they would be mixed up.
fn require_distinct_environments(request: &Request) -> Result<()> {
    let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for env in &request.environments {
        if let Some(first) = seen.insert(&env.name, &env.source.name) {
            return Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "two environments are named '{}' ({first} and {}): give each its own name \
                     (NAME=PATH on the command line, `environment` in a request)",
                    env.name, env.source.name
                ),
            ));
        }
    }
    Ok(())
}

/// Refuses a request this build cannot serve, rather than ignoring part of it.
fn require_features(request: &Request) -> Result<()> {
    let lacking = |what: &str| {
        Err(Error::new(
            ErrorKind::Unsupported,
            format!("this build of driftwise has no {what}"),
        ))
    };
    if cfg!(not(feature = "templates")) && matches!(request.base, Some(Base::Template { .. })) {
        return lacking("template support (feature `templates`)");
    }
    let validates =
        request.provider.is_some() || request.schema.is_some() || !request.rules.is_empty();
    if cfg!(not(feature = "validation")) && validates {
        return lacking("validation (feature `validation`)");
    }
    Ok(())
}

/// The provider, variables and validator a request names, read once.
struct Inputs {
    profile: Option<Profile>,
    vars: Vec<Vars>,
    #[cfg(feature = "validation")]
    validator: Option<crate::validate::Validator>,
}

impl Inputs {
    fn load(request: &Request) -> Result<Inputs> {
        // Providers and variables feed only templates and validation; a build without either has
        // refused a request that names them already (`require_features`), and leaves their code out.
        if cfg!(not(any(feature = "templates", feature = "validation"))) {
            return Ok(Inputs {
                profile: None,
                vars: Vec::new(),
                #[cfg(feature = "validation")]
                validator: None,
            });
        }
        let profile = match &request.provider {
            Some(name) => {
                let mut profiles = Profiles::default();
                for file in &request.profiles {
                    profiles.add(file)?;
                }
                Some(profiles.get(name)?.clone())
            }
            None => None,
        };
        let vars = request
            .vars
            .iter()
            .map(Vars::from_source)
            .collect::<Result<Vec<_>>>()?;
        Ok(Inputs {
            #[cfg(feature = "validation")]
            validator: validator(request, profile.as_ref())?,
            profile,
            vars,
        })
    }

    /// The variables rules see in a file checked as environment `env`.
    fn context(&self, request: &Request, env: Option<&str>) -> JsonMap<String, J> {
        context(self.profile.as_ref(), env, &self.vars, &request.values)
    }

    fn desired<'a>(&'a self, template: &'a Source, request: &'a Request) -> Desired<'a> {
        Desired {
            template,
            profile: self.profile.as_ref(),
            vars: &self.vars,
            values: &request.values,
            env: request.env.as_deref(),
        }
    }

    /// The renderings of a template base, one per environment name, and which one each
    /// environment is compared with.
    #[allow(clippy::type_complexity)]
    fn render_bases(
        &self,
        template: &Source,
        request: &Request,
    ) -> Result<(FileRef, Vec<Document>, Vec<usize>, Option<Vec<Rendering>>)> {
        let desired = self.desired(template, request);
        let renderings = render_for(
            &desired,
            request.environments.iter().map(|e| e.name.as_str()),
        )?;
        let base_of = request
            .environments
            .iter()
            .map(|e| {
                let env = desired.env_for(&e.name);
                renderings.iter().position(|r| r.env == env).unwrap_or(0)
            })
            .collect();
        let base = template_ref(&desired, &renderings);
        let docs = renderings.iter().map(|r| r.doc.clone()).collect();
        Ok((base, docs, base_of, Some(renderings)))
    }

    /// The violations in one document, rules seeing `ctx`.
    fn validate_doc(&self, doc: &Document, ctx: &JsonMap<String, J>) -> Vec<Violation> {
        #[cfg(feature = "validation")]
        if let Some(validator) = &self.validator {
            return validator.validate_with(doc, ctx);
        }
        let _ = (doc, ctx);
        Vec::new()
    }

    /// The violations in a rendering, each also at the template text behind it.
    fn validate_rendering(&self, r: &Rendering) -> Vec<Violation> {
        let mut found = self.validate_doc(&r.doc, &r.context);
        with_origins(&mut found, &r.rendered);
        found
    }
}

/// The validator a request describes: its schema, rules files and provider rules; `None` when
/// there is nothing to check.
#[cfg(feature = "validation")]
fn validator(
    request: &Request,
    profile: Option<&Profile>,
) -> Result<Option<crate::validate::Validator>> {
    use crate::violation::CheckKind;
    if request.schema.is_none() && request.rules.is_empty() && profile.is_none() {
        return Ok(None);
    }
    let mut builder = crate::validate::Validator::builder();
    if let Some(schema) = &request.schema {
        builder = builder.schema(schema.clone());
    }
    if let Some(profile) = profile {
        let mut vars = profile.vars.clone();
        vars.insert("provider".into(), J::String(profile.name.clone()));
        builder = builder.vars(&vars).rule_specs(
            profile.file.clone(),
            CheckKind::Provider,
            profile.rules.clone(),
        );
    }
    for rules in &request.rules {
        builder = builder.rules(rules);
    }
    builder.build().map(Some)
}

/// Validates files on their own, without comparing them: the request's base (when it has one) and
/// `environments`, a template among them rendered for `env` first, against its schema, rules and
/// provider. Secrets are masked as its policy says.
pub fn validate(request: &Request) -> Result<Validation> {
    require_features(request)?;
    if request.schema.is_none() && request.rules.is_empty() && request.provider.is_none() {
        return Err(Error::new(
            ErrorKind::Usage,
            "nothing to validate against: give a schema, rules or a provider",
        ));
    }
    let policy = compile_policy(request)?;
    let inputs = Inputs::load(request)?;
    let files = request
        .base
        .iter()
        .filter_map(|b| b.source())
        .chain(request.environments.iter().map(|e| &e.source));
    let mut names = Vec::new();
    let mut violations = Vec::new();
    let mut docs = Vec::new();
    for source in files {
        names.push(source.name.clone());
        if is_template_name(&source.name) {
            let env = request.env.as_deref().ok_or_else(|| {
                Error::new(
                    ErrorKind::Usage,
                    "is a template: name the environment to render it for (`env`; --env on the command line)",
                )
                .in_file(source.name.clone())
            })?;
            let rendering = inputs.desired(source, request).render(env)?;
            violations.extend(inputs.validate_rendering(&rendering));
            docs.push(rendering.doc);
        } else {
            let doc = parse(&request.with_format(source))?;
            let ctx = inputs.context(request, request.env.as_deref());
            violations.extend(inputs.validate_doc(&doc, &ctx));
            docs.push(doc);
        }
    }
    Secrets::of(&docs, &policy).mask_violations(&mut violations);
    let fail_on = request.options.fail_on.unwrap_or(Severity::DEFAULT_FAIL_ON);
    Ok(Validation::new(names, violations, fail_on))
}

/// Renders the request's template base for its `env` (with its provider and variables), checking
/// that the output parses.
pub fn render(request: &Request) -> Result<Rendered> {
    require_features(request)?;
    let Some(Base::Template { template }) = &request.base else {
        return Err(Error::new(
            ErrorKind::Usage,
            "there is no template to render",
        ));
    };
    let env = request.env.as_deref().ok_or_else(|| {
        Error::new(
            ErrorKind::Usage,
            "name the environment to render for (`env`; --env on the command line)",
        )
    })?;
    let inputs = Inputs::load(request)?;
    Ok(inputs.desired(template, request).render(env)?.rendered)
}
