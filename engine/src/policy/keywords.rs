//! The built-in judgements from the words in a path: how serious a difference there is by
//! default, and whether its value is a secret.

use crate::severity::Severity;

/// Security material besides secrets (which are critical too): a difference here can open a hole.
const CRITICAL: &[&str] = &[
    "security",
    "securitycontext",
    "rbac",
    "certificate",
    "certificates",
    "cert",
    "certs",
    "tls",
    "ssl",
    "role",
    "roles",
    "rolebinding",
    "clusterrole",
    "permissions",
    "policy",
    "policies",
    // Network devices: who logs in, and what traffic passes.
    "aaa",
    "username",
    "community",
    "crypto",
    "keystring",
    "accesslist",
    "accessgroup",
    "acl",
    "prefixlist",
];
/// Capacity and reachability: a difference here changes how the service runs or who reaches it.
const HIGH: &[&str] = &[
    "resources",
    "limits",
    "requests",
    "cpu",
    "memory",
    "network",
    "networks",
    "networkpolicy",
    "ingress",
    "egress",
    "storage",
    "volume",
    "volumes",
    "storageclass",
    "port",
    "ports",
    "host",
    "hosts",
    "hostname",
    "url",
    "urls",
    "endpoint",
    "endpoints",
    "replicas",
    "image",
    "images",
    "firewall",
    "cidr",
    "dns",
    // Network devices: interfaces, routing, VLANs.
    "interface",
    "interfaces",
    "router",
    "routing",
    "bgp",
    "ospf",
    "eigrp",
    "isis",
    "neighbor",
    "vlan",
    "vlans",
];
/// Descriptive: a difference here rarely changes behaviour.
const LOW: &[&str] = &[
    "metadata",
    "description",
    "descriptions",
    "comment",
    "comments",
    "documentation",
];
/// Named explicitly as medium so that, say, labels under metadata are not demoted to low.
const MEDIUM: &[&str] = &[
    "labels",
    "annotations",
    "feature",
    "features",
    "flag",
    "flags",
];

/// Splits a path into lowercase words: segments, then `snake_case`, `kebab-case`, `dot.case` and
/// `camelCase` parts. Adjacent pairs are joined too, so `api_key` and `apiKey` both yield `apikey`.
pub(crate) fn path_words(path: &str) -> Vec<String> {
    let mut words = Vec::new();
    each_word(path, |w| words.push(w.to_string()));
    words
}

/// [`path_words`] one word at a time, each segment's joined pairs before its parts, without a
/// string of its own for each: a check asks this of every finding's path.
pub(crate) fn each_word(path: &str, mut word: impl FnMut(&str)) {
    // A segment's parts back to back, and where each ends.
    let mut parts = String::new();
    let mut ends: Vec<usize> = Vec::new();
    let mut pair = String::new();
    for segment in path.split(['/', '[', ']', ',', '=']) {
        parts.clear();
        ends.clear();
        let mut in_part = false;
        let mut prev_lower = false;
        for c in segment.chars() {
            // ASCII, as nearly every key is, answers without Unicode's tables.
            let (alphanumeric, upper, lower) = if c.is_ascii() {
                let b = c as u8;
                (
                    b.is_ascii_alphanumeric(),
                    b.is_ascii_uppercase(),
                    b.is_ascii_lowercase(),
                )
            } else {
                (c.is_alphanumeric(), c.is_uppercase(), c.is_lowercase())
            };
            if !alphanumeric {
                if in_part {
                    ends.push(parts.len());
                    in_part = false;
                }
                prev_lower = false;
                continue;
            }
            if upper && prev_lower && in_part {
                ends.push(parts.len());
            }
            prev_lower = lower || c.is_ascii_digit();
            if c.is_ascii() {
                parts.push(c.to_ascii_lowercase());
            } else {
                parts.extend(c.to_lowercase());
            }
            in_part = true;
        }
        if in_part {
            ends.push(parts.len());
        }
        let part = |i: usize| &parts[if i == 0 { 0 } else { ends[i - 1] }..ends[i]];
        for i in 1..ends.len() {
            pair.clear();
            pair.push_str(part(i - 1));
            pair.push_str(part(i));
            word(&pair);
        }
        for i in 0..ends.len() {
            word(part(i));
        }
    }
}

/// Keys whose `Policy` names how a workload runs, not who may do what: `policy` in them is not a
/// security word (`imagePullPolicy` is high for its image, `restartPolicy` medium). Lowercase.
/// Admission webhooks' `failurePolicy` and `matchPolicy`, IAM's and Key Vault's policies and a
/// plain `policy` key stay critical.
const OPERATIONAL_POLICIES: &[&str] = &[
    "imagepullpolicy",
    // Helm charts' `image.pullPolicy`.
    "pullpolicy",
    "restartpolicy",
    "dnspolicy",
    "terminationmessagepolicy",
    "externaltrafficpolicy",
    "internaltrafficpolicy",
    "ipfamilypolicy",
    "podmanagementpolicy",
    "concurrencypolicy",
    "preemptionpolicy",
    "podreplacementpolicy",
    "persistentvolumeclaimretentionpolicy",
    "persistentvolumereclaimpolicy",
    "reclaimpolicy",
    "selectpolicy",
    "unhealthypodevictionpolicy",
    "nodeaffinitypolicy",
    "nodetaintspolicy",
    "updatepolicy",
];

/// The default severity of a path: the most severe level any of its words calls for, medium when
/// none does, and low only when descriptive words are all there is.
pub(crate) fn default_severity(path: &str) -> Severity {
    let operational = |segment: &str| {
        let key = segment.split('[').next().unwrap_or(segment);
        // Every such key ends in `policy`: most segments are turned away by their last six bytes.
        key.len() > "policy".len()
            && key.as_bytes()[key.len() - "policy".len()..].eq_ignore_ascii_case(b"policy")
            && OPERATIONAL_POLICIES
                .iter()
                .any(|name| key.eq_ignore_ascii_case(name))
    };
    let mut severity: Option<Severity> = None;
    let mut weigh = |w: &str| severity = severity.max(word_severity(w));
    if path.split('/').any(operational) {
        // The key without its last word: `imagePullPolicy` reads as `imagePull`.
        let kept: Vec<&str> = path
            .split('/')
            .map(|segment| {
                if operational(segment) {
                    let key = segment.split('[').next().unwrap_or(segment);
                    &key[..key.len() - "policy".len()]
                } else {
                    segment
                }
            })
            .collect();
        each_word(&kept.join("/"), &mut weigh);
    } else {
        each_word(path, &mut weigh);
    }
    // The most severe level any word calls for; medium when none calls for one.
    severity.unwrap_or(Severity::Medium)
}

/// Every word of the lists above with the most severe level a list gives it, sorted by word: a
/// path's words are looked up here, where trying each list in turn compared each word with every
/// listed one (~14,000 instructions a finding, most of a check's classification).
static WORD_SEVERITIES: std::sync::LazyLock<Vec<(&'static str, Severity)>> =
    std::sync::LazyLock::new(|| {
        let lists = [
            (LOW, Severity::Low),
            (MEDIUM, Severity::Medium),
            (HIGH, Severity::High),
            (SECRET, Severity::Critical),
            (CRITICAL, Severity::Critical),
        ];
        let mut words: Vec<(&'static str, Severity)> = lists
            .iter()
            .flat_map(|(list, severity)| list.iter().map(move |w| (*w, *severity)))
            .collect();
        // The most severe first for each word, then one entry a word.
        words.sort_by(|a, b| a.0.cmp(b.0).then(b.1.cmp(&a.1)));
        words.dedup_by_key(|(w, _)| *w);
        words
    });

/// The level a path's word calls for, if any list names it.
fn word_severity(word: &str) -> Option<Severity> {
    let words = &*WORD_SEVERITIES;
    words
        .binary_search_by(|(w, _)| (*w).cmp(word))
        .ok()
        .map(|at| words[at].1)
}

/// Words that make a value a secret: masked in every report unless the user asks to reveal it.
const SECRET: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "secrets",
    "token",
    "tokens",
    "privatekey",
    "apikey",
    "accesskey",
    "secretkey",
    "signingkey",
    "encryptionkey",
    "credential",
    "credentials",
    "clientsecret",
    "community",
    "keystring",
    "encryptedpassword",
    "authenticationkey",
    "presharedkey",
];

/// Whether the path's last named key looks like it holds a secret (`/db/password`, `/auth/apiKey`).
/// Only the last key counts: `/secrets/enabled` is a flag about secrets, not one. A `value` inherits
/// from the item it belongs to, so `/env[name=DB_PASSWORD]/value` is a secret too.
pub(crate) fn looks_secret(path: &str) -> bool {
    // This runs for every value of every file: most paths are settled by their last segment.
    let bytes = path.as_bytes();
    let last_slash = bytes.iter().rposition(|&b| b == b'/');
    let last = &path[last_slash.map_or(0, |at| at + 1)..];
    if !segment_may_look_secret(last) {
        return false;
    }
    let tail_start = last_slash
        .and_then(|last| bytes[..last].iter().rposition(|&b| b == b'/'))
        .unwrap_or(0);
    by_last_two_segments(path, tail_start)
}

/// Whether every path ending in `key` is cleared of looking secret by that key alone, as
/// [`looks_secret`] would clear it: the walk that finds a file's secrets asks this of each key
/// before it writes the key's path. It holds for the key as a path escapes it too: `~0` and `~1`
/// put no letters next to each other that were not already, nor make a key empty, `value` or a
/// number.
pub(crate) fn clears_secret(key: &str) -> bool {
    !segment_may_look_secret(key)
}

/// [`looks_secret`] read from the path's last two segments (from `tail_start`, the second last
/// `/`), the way it was read before a last segment could settle it alone.
fn by_last_two_segments(path: &str, tail_start: usize) -> bool {
    // Every secret word holds one of these stems: most paths are turned away here, before any
    // word is split out.
    if !may_hold_secret_word(&path[tail_start..]) {
        return false;
    }
    let is_secret = |text: &str| {
        let mut found = false;
        each_word(text, |w| found |= SECRET.contains(&w));
        found
    };
    let mut segments = path.rsplit('/').filter(|s| !s.is_empty());
    let Some(last) = segments.next() else {
        return false;
    };
    let (key, selector) = match last.split_once('[') {
        Some((key, selector)) => (key, Some(selector)),
        None => (last, None),
    };
    if key.parse::<usize>().is_err() && !key.is_empty() && key != "value" {
        return is_secret(key) || selector.is_some_and(is_secret);
    }
    // An index or `value`: look at the item or key it belongs to.
    if let Some(selector) = selector {
        return is_secret(selector);
    }
    segments.next().is_some_and(|parent| {
        let (parent_key, parent_selector) = parent
            .split_once('[')
            .map_or((parent, None), |(k, s)| (k, Some(s)));
        parent_selector.map_or_else(|| is_secret(parent_key), is_secret)
    })
}

/// Whether a path whose last segment is `segment` may look secret: `false` is the answer of its
/// last two segments, found from the last alone. Any segment but an empty one, an index or
/// `value` decides alone (one with a `[` too, by its key and selector), and only one holding a
/// secret word's stem can; reading both segments of every value's path took a tenth of a check.
fn segment_may_look_secret(segment: &str) -> bool {
    segment.is_empty()
        || segment == "value"
        || segment.parse::<usize>().is_ok()
        || may_hold_secret_word(segment)
}

/// Whether `text` holds a stem every secret word has (`pass`, `secret`, `token`, `key`,
/// `credential`, `community`), in any case.
fn may_hold_secret_word(text: &str) -> bool {
    let bytes = text.as_bytes();
    // The stems' first letters, looked for eight bytes at a time: most keys and paths hold none
    // or few, and only where one is are the next letters read.
    crate::words::any_letter_at(bytes, b"pstkc", |i| stem_at(bytes, i))
}

/// Whether a secret word's stem starts at byte `i`. Every stem is three letters or more and its
/// first three letters tell it from the others (and from `settings`, `services`, `param`), so a
/// stem is compared only where its first three are (comparing every stem at every byte doubled
/// the time of a diff). `| 0x20` lowercases an ASCII letter and turns no other byte into one.
fn stem_at(bytes: &[u8], i: usize) -> bool {
    let Some(&[a, b, c]) = bytes.get(i..i + 3) else {
        return false;
    };
    let stem: &[u8] = match (a | 0x20, b | 0x20, c | 0x20) {
        (b'p', b'a', b's') => b"pass",
        (b's', b'e', b'c') => b"secret",
        (b't', b'o', b'k') => b"token",
        (b'k', b'e', b'y') => return true,
        (b'c', b'r', b'e') => b"credential",
        (b'c', b'o', b'm') => b"community",
        _ => return false,
    };
    bytes[i..]
        .get(..stem.len())
        .is_some_and(|w| w.eq_ignore_ascii_case(stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A path settled by its last segment gets the answer its last two segments give.
        #[test]
        fn the_last_segment_settles_what_the_last_two_would(
            parents in proptest::collection::vec("[a-zA-Z_0-9~/\\[\\]=.-]{0,10}|password|apiKey|env\\[name=DB_TOKEN\\]|[0-9]|value", 0..4),
            key in "[a-zA-Z_0-9~/\\[\\]=.+ -]{0,12}|value|0|12|\\+3|Token|[a-z]{0,4}(pass|key|Secret|cred|commun)[a-z]{0,4}",
        ) {
            let mut path = String::new();
            for parent in &parents {
                crate::pointer::push_segment(&mut path, parent);
            }
            crate::pointer::push_segment(&mut path, &key);
            let bytes = path.as_bytes();
            let tail_start = bytes
                .iter()
                .rposition(|&b| b == b'/')
                .and_then(|last| bytes[..last].iter().rposition(|&b| b == b'/'))
                .unwrap_or(0);
            proptest::prop_assert_eq!(looks_secret(&path), by_last_two_segments(&path, tail_start), "{}", path);
        }

        /// Words taken one at a time are the words split out as strings of their own, the way
        /// they were before.
        #[test]
        fn words_one_at_a_time_are_the_words_split_out(path in "[a-zA-Z0-9_./\\[\\]=,ÄéßİΣ -]{0,40}") {
            let mut words = Vec::new();
            for segment in path.split(['/', '[', ']', ',', '=']) {
                let mut parts: Vec<String> = Vec::new();
                let mut current = String::new();
                let mut prev_lower = false;
                for c in segment.chars() {
                    if !c.is_alphanumeric() {
                        if !current.is_empty() {
                            parts.push(std::mem::take(&mut current));
                        }
                        prev_lower = false;
                        continue;
                    }
                    if c.is_uppercase() && prev_lower && !current.is_empty() {
                        parts.push(std::mem::take(&mut current));
                    }
                    prev_lower = c.is_lowercase() || c.is_ascii_digit();
                    current.extend(c.to_lowercase());
                }
                if !current.is_empty() {
                    parts.push(current);
                }
                for pair in parts.windows(2) {
                    words.push(format!("{}{}", pair[0], pair[1]));
                }
                words.extend(parts);
            }
            proptest::prop_assert_eq!(path_words(&path), words);
        }

        /// The severity looked up word by word is the one the lists, tried in turn, give.
        #[test]
        fn severities_looked_up_are_the_lists_tried_in_turn(
            segments in proptest::collection::vec(
                "[a-zA-Z_.-]{0,12}|security|tls|apiKey|db_password|replicas|ports|metadata|labels|description|imagePullPolicy|communityString|feature_flags|[a-z]{0,4}(Token|Cert|Role|Host|Port|Label|Comment)[a-z]{0,4}",
                0..6,
            ),
        ) {
            let path: String = segments.iter().map(|s| format!("/{s}")).collect();
            let words = path_words(&path);
            let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
            let by_lists = if has(CRITICAL) || has(SECRET) {
                Severity::Critical
            } else if has(HIGH) {
                Severity::High
            } else if has(MEDIUM) {
                Severity::Medium
            } else if has(LOW) {
                Severity::Low
            } else {
                Severity::Medium
            };
            // Paths with an operational policy key read that key without `policy` first.
            if !path.to_ascii_lowercase().contains("policy") {
                proptest::prop_assert_eq!(default_severity(&path), by_lists, "{}", path);
            }
        }

        /// A key that clears itself clears any path it ends, escaped as a path escapes it,
        /// whatever comes before it (keyed paths name list items with `[…]` that may hold `/`, so
        /// the parents are any text).
        #[test]
        fn a_key_that_clears_itself_clears_every_path_it_ends(
            before in "[a-zA-Z_0-9~/\\[\\]=.,-]{0,24}|/env\\[name=DB_TOKEN\\]|/password|/a/value",
            key in "[a-zA-Z_0-9~/\\[\\]=.+ -]{0,12}|value|0|12|Token|[a-z]{0,4}(pass|key|Secret|cred|commun)[a-z]{0,4}|[pP]a[~/]ss|k[~/]ey|~|/",
        ) {
            let mut path = before.clone();
            crate::pointer::push_segment(&mut path, &key);
            if clears_secret(&key) {
                proptest::prop_assert!(!looks_secret(&path), "{}", path);
            }
        }
    }

    #[test]
    fn every_stem_is_found_in_either_case() {
        for stem in ["pass", "secret", "token", "key", "credential", "community"] {
            assert!(may_hold_secret_word(&format!("/a/x_{stem}")), "{stem}");
            assert!(may_hold_secret_word(&stem.to_ascii_uppercase()), "{stem}");
        }
        assert!(!may_hold_secret_word("/services/web/replicas"));
    }

    #[test]
    fn the_pair_dispatch_finds_what_a_plain_search_finds() {
        let stems = ["pass", "secret", "token", "key", "credential", "community"];
        let plain = |t: &str| {
            let lower = t.to_ascii_lowercase();
            stems.iter().any(|s| lower.contains(s))
        };
        let pieces = [
            "",
            "k",
            "ke",
            "KEY",
            "pas",
            "PaSs",
            "se",
            "secre",
            "SECRET",
            "tok",
            "Token",
            "cr",
            "co",
            "credential",
            "COMMUNITY",
            "commun",
            "[",
            "é",
            "/",
            "_",
            "param",
            "ey",
            "ss",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c}");
                    assert_eq!(may_hold_secret_word(&text), plain(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn defaults_follow_the_words_in_the_path() {
        assert_eq!(default_severity("/database/password"), Severity::Critical);
        assert_eq!(
            default_severity("/spec/template/spec/securityContext/runAsUser"),
            Severity::Critical
        );
        assert_eq!(default_severity("/auth/apiKey"), Severity::Critical);
        assert_eq!(default_severity("/server/tls/enabled"), Severity::Critical);
        assert_eq!(default_severity("/spec/replicas"), Severity::High);
        assert_eq!(
            default_severity("/spec/containers[name=web]/ports[name=http]/containerPort"),
            Severity::High
        );
        assert_eq!(default_severity("/database/host"), Severity::High);
        assert_eq!(default_severity("/features/feature_b"), Severity::Medium);
        assert_eq!(default_severity("/metadata/labels/tier"), Severity::Medium);
        assert_eq!(default_severity("/app_settings/version"), Severity::Medium);
        assert_eq!(default_severity("/metadata/name"), Severity::Low);
        assert_eq!(default_severity("/service/description"), Severity::Low);
    }

    /// `policy` in a Kubernetes field that picks how a workload runs is no security word; the
    /// field's other words still count, and policies that guard access stay critical.
    #[test]
    fn operational_policies_are_judged_by_their_other_words() {
        let pod = "/[kind=Deployment,name=web]/spec/template/spec";
        let cases = [
            (
                format!("{pod}/containers[name=web]/imagePullPolicy"),
                Severity::High,
            ),
            (format!("{pod}/restartPolicy"), Severity::Medium),
            (format!("{pod}/dnsPolicy"), Severity::High),
            ("/spec/externalTrafficPolicy".into(), Severity::Medium),
            (
                "/spec/behavior/scaleDown/selectPolicy".into(),
                Severity::Medium,
            ),
            ("/image/pullPolicy".into(), Severity::High),
            (
                format!("{pod}/securityContext/fsGroupChangePolicy"),
                Severity::Critical,
            ),
            ("/webhooks[name=v]/failurePolicy".into(), Severity::Critical),
            ("/properties/accessPolicies/0".into(), Severity::Critical),
            ("/aws_iam_policy/app/policy".into(), Severity::Critical),
            (
                "/[kind=NetworkPolicy,name=web]/spec/policyTypes".into(),
                Severity::Critical,
            ),
        ];
        for (path, severity) in cases {
            assert_eq!(default_severity(&path), severity, "{path}");
        }
    }

    #[test]
    fn secrets_are_recognised_by_their_own_key() {
        assert!(looks_secret("/database/password"));
        assert!(looks_secret("/auth/client_secret"));
        assert!(looks_secret("/auth/apiKey"));
        assert!(looks_secret("/env[name=DB_PASSWORD]/value"));
        assert!(!looks_secret("/env[name=LOG_LEVEL]/value"));
        assert!(looks_secret("/data/DB_PASSWORD"));
        assert!(!looks_secret("/secrets/enabled"));
        assert!(!looks_secret("/database/host"));
        assert!(looks_secret("/tokens/0"));
    }
}
