//! The parsed form of a configuration file: a tree whose every key and value carries its
//! [`TextRange`].
//!
//! All formats (YAML, JSON, TOML, and later INI, .env and properties) parse into this one shape, so
//! the diff, the policy and the patch writers never need to know where a value came from.

pub use crate::decimal::Decimal;

use crate::error::{Error, ErrorKind, Result};
use crate::span::{Lines, Span, TextRange};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// A configuration syntax.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// YAML 1.2, with multi-document streams.
    Yaml,
    /// JSON, with the comments and trailing commas JSONC files use.
    Json,
    /// TOML 1.0.
    Toml,
    /// INI: `[section]` headers and `key = value` lines; values are text.
    Ini,
    /// `.env` files: `KEY=value` lines, quoted or not; values are text.
    Env,
    /// Java `.properties`: `key=value`, `key: value` or `key value`; values are text.
    Properties,
    /// Cisco IOS, IOS-XE and NX-OS configurations: indented command hierarchies.
    Ios,
    /// Arista EOS configurations: indented command hierarchies, as IOS.
    Eos,
    /// Juniper Junos configurations in curly-brace form.
    Junos,
    /// Juniper Junos configurations as `set` lines.
    #[serde(rename = "junos-set")]
    JunosSet,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 10] = [
        Format::Yaml,
        Format::Json,
        Format::Toml,
        Format::Ini,
        Format::Env,
        Format::Properties,
        Format::Ios,
        Format::Eos,
        Format::Junos,
        Format::JunosSet,
    ];

    /// The format a file name implies, if any: its extension (`.ini` and `.cfg` for INI,
    /// `.env` and `.env.*` or `*.env`, `.properties`).
    pub fn from_file_name(name: &str) -> Option<Format> {
        let base = name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(name)
            .to_ascii_lowercase();
        if base == ".env" || base.starts_with(".env.") {
            return Some(Format::Env);
        }
        let ext = base.rsplit_once('.')?.1;
        match ext {
            "yaml" | "yml" => Some(Format::Yaml),
            "json" | "jsonc" => Some(Format::Json),
            "toml" => Some(Format::Toml),
            "ini" | "cfg" => Some(Format::Ini),
            "env" => Some(Format::Env),
            "properties" => Some(Format::Properties),
            "ios" => Some(Format::Ios),
            "eos" => Some(Format::Eos),
            "junos" => Some(Format::Junos),
            _ => None,
        }
    }

    /// The device format a text is in, judged by its content: `set` lines (Junos), a brace
    /// hierarchy of `;` statements (Junos), or `!`-separated commands such as `hostname` and
    /// `interface` (IOS, or EOS when the capture says so). For `.cfg`, `.conf`, `.txt` and
    /// names without an extension, which device captures use.
    pub fn sniff_device(text: &str) -> Option<Format> {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("/*"))
            .take(400)
            .collect();
        let first = lines.first()?;
        let set_lines = lines
            .iter()
            .filter(|l| l.starts_with("set ") || l.starts_with("deactivate "))
            .count();
        if set_lines * 5 >= lines.len() * 4 {
            return Some(Format::JunosSet);
        }
        let opens_block =
            first.ends_with('{') || (first.starts_with("version ") && first.ends_with(';'));
        if opens_block && lines.iter().any(|l| l.ends_with(';')) {
            return Some(Format::Junos);
        }
        let commands = lines
            .iter()
            .filter(|l| {
                l.starts_with("hostname ")
                    || l.starts_with("interface ")
                    || l.starts_with("Building configuration")
                    || l.starts_with("Current configuration")
                    || l.starts_with("! Command: show running-config")
                    || l.starts_with("!Command: show running-config")
            })
            .count();
        let bangs = lines.iter().filter(|l| l.starts_with('!')).count();
        if commands > 0 && (bangs > 0 || lines.contains(&"end")) {
            let arista = text.contains("EOS-") || text.contains("Arista");
            return Some(if arista { Format::Eos } else { Format::Ios });
        }
        None
    }

    /// Whether this is a network device's configuration (IOS, EOS, Junos).
    pub fn is_device(self) -> bool {
        matches!(
            self,
            Format::Ios | Format::Eos | Format::Junos | Format::JunosSet
        )
    }

    /// The format's name (`yaml`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Json => "json",
            Format::Toml => "toml",
            Format::Ini => "ini",
            Format::Env => "env",
            Format::Properties => "properties",
            Format::Ios => "ios",
            Format::Eos => "eos",
            Format::Junos => "junos",
            Format::JunosSet => "junos-set",
        }
    }

    /// Whether values are text only (INI, `.env`, `.properties`): numbers and booleans are
    /// written as their text, and nothing nests deeper than the format allows.
    pub fn is_flat(self) -> bool {
        matches!(self, Format::Ini | Format::Env | Format::Properties)
    }
}

impl std::str::FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Format> {
        match s.to_ascii_lowercase().as_str() {
            "yaml" | "yml" => Ok(Format::Yaml),
            "json" | "jsonc" => Ok(Format::Json),
            "toml" => Ok(Format::Toml),
            "ini" => Ok(Format::Ini),
            "env" | "dotenv" => Ok(Format::Env),
            "properties" => Ok(Format::Properties),
            "ios" | "ios-xe" | "iosxe" | "nx-os" | "nxos" => Ok(Format::Ios),
            "eos" => Ok(Format::Eos),
            "junos" => Ok(Format::Junos),
            "junos-set" | "set" => Ok(Format::JunosSet),
            other => Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "unknown format '{other}' (expected yaml, json, toml, ini, env, properties, ios, eos, junos or junos-set)"
                ),
            )),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A named text handed to the engine. The engine never reads files itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The name the file is known by, usually its path.
    pub name: String,
    /// Its text (empty for a directory).
    #[serde(default)]
    pub text: String,
    /// Overrides the format implied by the name's extension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// For a directory: its files, named `DIR/relative/path` (its own `text` is empty). Files are
    /// compared by relative path, or, when every file holds Kubernetes objects, object by object
    /// whatever file each is in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<Source>,
}

impl Source {
    /// A source whose format the name's extension implies.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Source {
        Source {
            name: name.into(),
            text: text.into(),
            format: None,
            files: Vec::new(),
        }
    }

    /// A directory of files (each named `name/relative/path`), compared as one input.
    pub fn directory(name: impl Into<String>, files: Vec<Source>) -> Source {
        Source {
            files,
            ..Source::new(name, "")
        }
    }

    /// Whether this is a directory.
    pub fn is_directory(&self) -> bool {
        !self.files.is_empty()
    }

    /// Accepts raw bytes: refuses anything that is not UTF-8, naming the first bad byte's position.
    /// A leading byte-order mark is kept: the readers read past it and a patched text keeps it.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Result<Source> {
        let name = name.into();
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Source::new(name, text)),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let bytes = e.as_bytes();
                // What PowerShell 5's `>` and Notepad's "Unicode" write: said so, with the way out.
                if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
                    return Err(Error::new(
                        ErrorKind::Encoding,
                        "the file is UTF-16 (it starts with a UTF-16 byte-order mark); driftwise reads UTF-8: save it as UTF-8 (PowerShell: `Out-File -Encoding utf8`; `iconv -f UTF-16 -t UTF-8`)",
                    )
                    .at(crate::span::Pos::new(0, 1, 1))
                    .in_file(name));
                }
                let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
                let pos = crate::span::LineIndex::new(prefix).pos(valid);
                Err(Error::new(
                    ErrorKind::Encoding,
                    format!(
                        "invalid UTF-8 (byte 0x{:02x}); driftwise reads UTF-8 text only",
                        bytes[valid]
                    ),
                )
                .at(pos)
                .in_file(name))
            }
        }
    }

    /// The same source, read as `format` whatever its name says.
    pub fn with_format(mut self, format: Format) -> Source {
        self.format = Some(format);
        self
    }

    /// This source read as `format`: borrowed when it already is, since a source holds its whole
    /// text and a large file copied here would be held twice while it is parsed.
    pub(crate) fn in_format(&self, format: Format) -> std::borrow::Cow<'_, Source> {
        if self.format == Some(format) {
            std::borrow::Cow::Borrowed(self)
        } else {
            std::borrow::Cow::Owned(self.clone().with_format(format))
        }
    }

    /// The explicit format, else the one the extension implies; a `.cfg`, `.conf` or `.txt` file,
    /// or one without an extension, holding a device configuration is read as one
    /// ([`Format::sniff_device`]).
    pub fn resolved_format(&self) -> Result<Format> {
        if let Some(format) = self.format {
            return Ok(format);
        }
        if self.is_directory() {
            return Ok(Format::Yaml);
        }
        let by_name = Format::from_file_name(&self.name);
        let base = self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name);
        let extension = base
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        let text = &self.text[crate::span::bom_len(&self.text)..];
        if matches!(extension.as_str(), "" | "cfg" | "conf" | "txt")
            && let Some(device) = Format::sniff_device(text)
        {
            return Ok(device);
        }
        // No extension (`kubectl diff` names its files `apps.v1.Deployment.shop.web`): JSON or
        // YAML by the content.
        if by_name.is_none() && !base.contains('.') || (by_name.is_none() && is_kubectl_name(base))
        {
            let json = matches!(text.trim_start().chars().next(), Some('{' | '['));
            return Ok(if json { Format::Json } else { Format::Yaml });
        }
        by_name.ok_or_else(|| {
            Error::new(
                ErrorKind::Usage,
                "cannot tell the format from the file name or the content; name it explicitly (yaml, json, toml, ini, env, properties, ios, eos, junos or junos-set)",
            )
            .in_file(self.name.clone())
        })
    }
}

/// A `kubectl diff` file name: `group.version.Kind.namespace.name` (the group may hold dots),
/// with a capitalised kind as the third part from the end or further.
fn is_kubectl_name(base: &str) -> bool {
    let parts: Vec<&str> = base.split('.').collect();
    parts.len() >= 4
        && parts
            .iter()
            .rev()
            .skip(2)
            .any(|p| p.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// One parsed file. YAML streams may hold several documents; JSON and TOML hold exactly one,
/// and an empty file holds none. Its JSON form gives every span's lines and columns.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Document {
    /// The source's name.
    pub name: String,
    /// The syntax it was read as.
    pub format: Format,
    /// Its documents (one for JSON and TOML; any number for YAML streams).
    pub documents: Vec<Node>,
    /// For a directory: which file each part is in. Empty for a file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub origins: Vec<Origin>,
    /// The lines of each text its tree's offsets point into, by file name: its own text's, or
    /// each file's for a directory (each layer's for layers merged). Not part of its JSON form.
    #[serde(skip)]
    pub lines: Vec<(String, Lines)>,
}

/// Where a part of a directory's document comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The part's key in the directory's map (its relative path), or none when the directory's
    /// documents are Kubernetes objects, one part per document in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The file.
    pub file: String,
}

impl Document {
    /// How many bytes of text its tree was read from, all files together.
    pub(crate) fn text_len(&self) -> usize {
        self.lines.iter().map(|(_, lines)| lines.text_len()).sum()
    }

    /// The lines of `file`, one of the texts its tree points into.
    pub fn lines_of(&self, file: &str) -> Option<&Lines> {
        self.lines.iter().find(|(f, _)| f == file).map(|(_, l)| l)
    }

    /// The lines and columns of `range` in `file` (`range`'s offsets alone when the document does
    /// not know that file's lines).
    pub fn span_in(&self, file: &str, range: TextRange) -> Span {
        match self.lines_of(file) {
            Some(lines) => lines.span(range),
            None => range.unresolved(),
        }
    }

    /// The line and column of byte `offset` of `file` (the offset alone when the document does
    /// not know that file's lines).
    pub fn pos_in(&self, file: &str, offset: usize) -> crate::span::Pos {
        self.span_in(file, TextRange::empty(offset)).start
    }

    /// The file the value at `pointer` is in: for a directory, the file of its part; else the
    /// document's own name.
    pub fn file_at(&self, pointer: &str) -> &str {
        self.locate(pointer, self.documents.len() != 1).0
    }

    /// The file the value at `pointer` is in, and its pointer in that file: for a directory's
    /// value, the file of its part and the pointer inside that file (the file's document's index
    /// first when the file holds several; `""` for the whole file); else the document's own name
    /// and `pointer` itself. A directory's pointer above any one file (a folder, the root) stays
    /// the directory's. `stream` says whether `pointer` starts with a document's index, as a
    /// comparison's pointers do when either side holds other than one document. (For many
    /// pointers, a locator looks each up without going through every file.)
    pub fn locate<'p>(&self, pointer: &'p str, stream: bool) -> (&str, Cow<'p, str>) {
        Locator::new(self).locate(pointer, stream)
    }
}

/// Looks a pointer up in a file. In a stream, the first token is the document's index
/// (`/1/spec/replicas`).
pub(crate) fn lookup<'d>(doc: &'d Document, stream: bool, pointer: &str) -> Option<&'d Node> {
    if !stream {
        return doc.documents.first()?.pointer(pointer);
    }
    let rest = pointer.strip_prefix('/')?;
    // `/0` is the first document; `/0/` its member with the empty key.
    let (index, inner) = match rest.split_once('/') {
        Some((index, inner)) => (index, Some(inner)),
        None => (rest, None),
    };
    let node = doc.documents.get(index.parse::<usize>().ok()?)?;
    match inner {
        None => Some(node),
        Some(inner) => node.pointer(&format!("/{inner}")),
    }
}

/// A directory's document, indexed to locate its pointers' files: [`Document::locate`] for many
/// pointers at the cost of one pass over the files.
pub(crate) struct Locator<'d> {
    doc: &'d Document,
    /// A directory of files: each file by its relative path.
    files: std::collections::HashMap<&'d str, &'d str>,
    /// A directory of objects: each document's index in its file, and how many its file holds.
    places: Vec<(usize, usize)>,
}

impl<'d> Locator<'d> {
    pub(crate) fn new(doc: &'d Document) -> Locator<'d> {
        let files = doc
            .origins
            .iter()
            .filter_map(|o| Some((o.key.as_deref()?, o.file.as_str())))
            .collect();
        let mut places = Vec::new();
        if doc.origins.first().is_some_and(|o| o.key.is_none()) {
            let mut seen: std::collections::HashMap<&str, usize> = Default::default();
            for o in &doc.origins {
                let n = seen.entry(o.file.as_str()).or_default();
                places.push((*n, 0));
                *n += 1;
            }
            for (place, o) in places.iter_mut().zip(&doc.origins) {
                place.1 = seen[o.file.as_str()];
            }
        }
        Locator { doc, files, places }
    }

    /// [`Document::locate`].
    pub(crate) fn locate<'p>(&self, pointer: &'p str, stream: bool) -> (&'d str, Cow<'p, str>) {
        let doc = self.doc;
        let whole = (doc.name.as_str(), Cow::Borrowed(pointer));
        let Some(first) = doc.origins.first() else {
            return whole;
        };
        let mut segments = crate::pointer::split_pointer(pointer);
        if first.key.is_some() {
            // A directory of files is one document: its index, if any, is `0`.
            if stream {
                if segments.first().is_none_or(|s| s != "0") {
                    return whole;
                }
                segments.remove(0);
            }
            // A file's key is its relative path, one segment per folder.
            let found = (1..=segments.len()).find_map(|n| {
                let file = self.files.get(segments[..n].join("/").as_str())?;
                Some((*file, n))
            });
            return match found {
                // The file's part itself is the file's root.
                Some((file, n)) => (
                    file,
                    Cow::Owned(crate::pointer::join_pointer(&segments[n..])),
                ),
                None => whole,
            };
        }
        // Objects, one part per document, in file order; a lone object's pointers have no index.
        if !stream {
            return match &doc.origins[..] {
                [only] => (only.file.as_str(), whole.1),
                _ => whole,
            };
        }
        let Some(index) = segments.first().and_then(|i| i.parse::<usize>().ok()) else {
            return whole;
        };
        let (Some(origin), Some(&(before, in_file))) =
            (doc.origins.get(index), self.places.get(index))
        else {
            return whole;
        };
        let rest = crate::pointer::join_pointer(&segments[1..]);
        let inner = if in_file == 1 {
            rest
        } else {
            format!("/{before}{rest}")
        };
        (origin.file.as_str(), Cow::Owned(inner))
    }
}

/// A value and where it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it is: its offsets in the text it was read from.
    pub span: TextRange,
}

/// A mapping entry: the key's own span, and the value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// Where the key is: its offsets in the text it was read from.
    pub key_span: TextRange,
    /// The value.
    pub value: Node,
}

/// A mapping: keys in source order, each with its key's span and value.
pub type Map = crate::map::OrderedMap<Member>;

pub use crate::map::Key;

/// A parsed value. Maps keep their keys in source order.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum Value {
    /// `null`, `~`, an empty YAML value.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// Integers that fit in 64 bits; larger ones become [`Value::Float`].
    Int(i64),
    /// Other numbers a float holds exactly (its shortest form reads back as the same number).
    Float(f64),
    /// A number no 64-bit integer or float holds exactly, kept as written.
    Decimal(Box<Decimal>),
    /// Text; short text is held inline, like a [`Key`].
    String(Key),
    /// A TOML date, time or date-time, as TOML writes it (`1979-05-27T07:32:00Z`). Equal to a
    /// string of the same text, since YAML, JSON and the flat formats hold dates as text, but
    /// written back to TOML as a date: a plan that carries it does not turn it into a string.
    /// Boxed, since only a value's text may use the last byte's spare values.
    Datetime(Box<Key>),
    /// A sequence. Boxed like a map, so that a value is 16 bytes, a [`Key`]'s size: the values
    /// a key's last byte never has tell the variants apart, and a large file has one value per
    /// scalar.
    List(Box<Vec<Node>>),
    /// A mapping.
    Map(Box<Map>),
}

impl Value {
    /// A sequence of `items`.
    pub fn list(items: Vec<Node>) -> Value {
        Value::List(Box::new(items))
    }
}

/// The type names a `type_changed` finding speaks of. Integers and floats are both numbers:
/// `1` and `1.0` are the same setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueType {
    /// Null.
    Null,
    /// A boolean.
    Bool,
    /// A number, integer or not.
    Number,
    /// Text.
    String,
    /// A sequence.
    List,
    /// A mapping.
    Map,
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValueType::Null => "null",
            ValueType::Bool => "bool",
            ValueType::Number => "number",
            ValueType::String => "string",
            ValueType::List => "list",
            ValueType::Map => "map",
        })
    }
}

impl Value {
    /// The type a report names.
    pub fn value_type(&self) -> ValueType {
        match self {
            Value::Null => ValueType::Null,
            Value::Bool(_) => ValueType::Bool,
            Value::Int(_) | Value::Float(_) | Value::Decimal(_) => ValueType::Number,
            Value::String(_) | Value::Datetime(_) => ValueType::String,
            Value::List(_) => ValueType::List,
            Value::Map(_) => ValueType::Map,
        }
    }

    /// Whether the value is neither a list nor a map.
    pub fn is_scalar(&self) -> bool {
        !matches!(self, Value::List(_) | Value::Map(_))
    }

    /// A YAML value under a custom tag, as the reader keeps it (`!Ref Name` is the one-member
    /// map `{"!Ref": "Name"}`): the tag and the value it tags. A map written with a quoted key
    /// `"!Ref"` reads the same; the writers give it back as a tag, which is what such a key
    /// nearly always was (CloudFormation's `!Ref`, `!Sub`, `!GetAtt`, GitLab's `!reference`).
    pub fn custom_tag(&self) -> Option<(&str, &Node)> {
        let Value::Map(map) = self else {
            return None;
        };
        let (key, member) = map.iter().next().filter(|_| map.len() == 1)?;
        is_custom_tag(key.as_str()).then_some((key.as_str(), &member.value))
    }

    /// The value as plain JSON, without positions. Non-finite floats, which JSON cannot hold,
    /// become the YAML spellings `.inf`, `-.inf` and `.nan`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(J::Number)
                .unwrap_or_else(|| {
                    J::String(
                        if f.is_nan() {
                            ".nan"
                        } else if *f > 0.0 {
                            ".inf"
                        } else {
                            "-.inf"
                        }
                        .into(),
                    )
                }),
            // JSON (as serde_json holds it) has no exact form for these: their text, as written.
            Value::Decimal(d) => J::String(d.as_str().to_string()),
            Value::String(s) => J::String(s.to_string()),
            Value::Datetime(d) => J::String(d.to_string()),
            Value::List(items) => J::Array(items.iter().map(|n| n.value.to_json()).collect()),
            Value::Map(map) => J::Object(
                map.iter()
                    .map(|(k, m)| (k.to_string(), m.value.value.to_json()))
                    .collect(),
            ),
        }
    }

    /// A plain JSON value as a tree (positions left empty): for values driftwise writes itself.
    pub(crate) fn from_json(json: &serde_json::Value) -> Value {
        use serde_json::Value as J;
        let node = |v: &J| Node::new(Value::from_json(v), TextRange::default());
        match json {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::number(&n.to_string(), n.is_u64()),
            },
            J::String(s) => Value::String(s.as_str().into()),
            J::Array(items) => Value::list(items.iter().map(node).collect()),
            J::Object(map) => Value::Map(
                map.iter()
                    .map(|(k, v)| {
                        (
                            Key::from(k.as_str()),
                            Member {
                                key_span: TextRange::default(),
                                value: node(v),
                            },
                        )
                    })
                    .collect::<Map>()
                    .into(),
            ),
        }
    }

    /// A short one-line rendering for reports: scalars as written in JSON, containers summarised.
    pub fn summary(&self) -> String {
        if let Some((tag, inner)) = self.custom_tag() {
            return match &inner.value {
                Value::Null => tag.to_string(),
                other => format!("{tag} {}", other.summary()),
            };
        }
        match self {
            Value::List(items) => format!("[list of {}]", items.len()),
            Value::Map(map) => format!("{{map of {}}}", map.len()),
            other => other.to_json().to_string(),
        }
    }
}

/// Whether a map key is a YAML custom tag as the reader keeps one (`!Ref`, `!!binary`): see
/// [`Value::custom_tag`].
pub(crate) fn is_custom_tag(key: &str) -> bool {
    let is_tag_char = |c: char| !c.is_whitespace() && !",[]{}".contains(c);
    key.strip_prefix('!')
        .is_some_and(|name| !name.is_empty() && name.chars().all(is_tag_char))
}

/// Structural equality, ignoring positions. NaN equals NaN so that a file always equals itself.
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Decimal(a), Value::Decimal(b)) => a == b,
            // A decimal is kept only when no integer or float holds it: never equal to one.
            (Value::Decimal(_), _) | (_, Value::Decimal(_)) => false,
            (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
                let (a, b) = (self.as_f64(), other.as_f64());
                a == b || (a.is_nan() && b.is_nan())
            }
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Datetime(a), Value::Datetime(b)) => a == b,
            (Value::Datetime(a), Value::String(b)) | (Value::String(b), Value::Datetime(a)) => {
                **a == **b
            }
            (Value::List(a), Value::List(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.value == y.value)
            }
            (Value::Map(a), Value::Map(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, m)| b.get(k).is_some_and(|o| o.value.value == m.value.value))
            }
            _ => false,
        }
    }
}

impl Value {
    fn as_f64(&self) -> f64 {
        self.approx_number().unwrap_or(f64::NAN)
    }

    /// The number a decimal text (`-12`, `3.5`, `1e-9`, TOML's `1_000`) means: an integer when it
    /// is one that fits 64 bits, a float when one holds it exactly, else a [`Decimal`].
    pub(crate) fn number(text: &str, integral: bool) -> Value {
        match crate::decimal::number(text, integral) {
            crate::decimal::Number::Int(i) => Value::Int(i),
            crate::decimal::Number::Float(f) => Value::Float(f),
            crate::decimal::Number::Exact(d) => Value::Decimal(Box::new(d)),
        }
    }

    /// An integer written in another base (`0x1f`, `0o17`, `0b101`): exact whatever its size.
    pub(crate) fn integer_in_base(digits: &str, radix: u32, negative: bool) -> Option<Value> {
        let magnitude = u128::from_str_radix(digits, radix).ok()?;
        let sign = if negative { "-" } else { "" };
        Some(Value::number(&format!("{sign}{magnitude}"), true))
    }

    /// The value as a float when it is a number (approximate for decimals beyond a float's range
    /// or precision), for tolerances, expressions and schema bounds.
    pub fn approx_number(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::Decimal(d) => Some(d.approx()),
            _ => None,
        }
    }

    /// [`to_json`](Self::to_json), but with decimals as the nearest float where there is one:
    /// for checks that compare numbers by value (JSON Schema), not for reports.
    pub fn to_json_approx(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Decimal(d) => serde_json::Number::from_f64(d.approx())
                .map(J::Number)
                .unwrap_or_else(|| J::String(d.as_str().to_string())),
            Value::List(items) => {
                J::Array(items.iter().map(|n| n.value.to_json_approx()).collect())
            }
            Value::Map(map) => J::Object(
                map.iter()
                    .map(|(k, m)| (k.to_string(), m.value.value.to_json_approx()))
                    .collect(),
            ),
            other => other.to_json(),
        }
    }
}

impl Node {
    /// A value at a place.
    pub fn new(value: Value, span: impl Into<TextRange>) -> Node {
        Node {
            value,
            span: span.into(),
        }
    }

    /// The value as plain JSON (see [`Value::to_json`]).
    pub fn to_json(&self) -> serde_json::Value {
        self.value.to_json()
    }

    /// A short one-line rendering (see [`Value::summary`]).
    pub fn summary(&self) -> String {
        self.value.summary()
    }

    /// Whether the value is neither a list nor a map.
    pub fn is_scalar(&self) -> bool {
        self.value.is_scalar()
    }

    /// Moves every span of the subtree `by` bytes on: for a text read after a prefix (a
    /// byte-order mark). A stack, not recursion: the tree is only as deep as the reader allowed.
    pub(crate) fn shift(&mut self, by: usize) {
        let mut stack: Vec<&mut Node> = vec![self];
        while let Some(node) = stack.pop() {
            node.span = node.span.shifted(by);
            match &mut node.value {
                Value::List(items) => stack.extend(items.iter_mut()),
                Value::Map(map) => stack.extend(map.values_mut().map(|member| {
                    member.key_span = member.key_span.shifted(by);
                    &mut member.value
                })),
                _ => {}
            }
        }
    }

    /// Number of nodes in this subtree, counting itself.
    pub fn size(&self) -> usize {
        1 + match &self.value {
            Value::List(items) => items.iter().map(Node::size).sum(),
            Value::Map(map) => map.values().map(|m| m.value.size()).sum(),
            _ => 0,
        }
    }

    /// The member or item a JSON Pointer names, if any.
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut node = self;
        for raw in pointer.strip_prefix('/')?.split('/') {
            let segment = crate::pointer::unescape_segment(raw);
            node = match &node.value {
                Value::Map(map) => &map.get(segment.as_ref())?.value,
                Value::List(items) => items.get(segment.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directorys_pointer_is_located_in_its_file() {
        let read = |name: &str, files: &[(&str, &str)]| {
            let files = files
                .iter()
                .map(|(n, t)| Source::new(format!("{name}/{n}"), *t));
            crate::parse::parse(&Source::directory(name, files.collect())).unwrap()
        };
        let configs = read(
            "prod",
            &[
                ("db/pool.toml", "[pool]\nmax = 1\n"),
                ("s.yaml", "a: 1\n---\nb: 2\n"),
            ],
        );
        let at = |doc: &Document, p: &'static str, stream: bool| {
            let (file, inner) = doc.locate(p, stream);
            (file.to_string(), inner.into_owned())
        };
        let located = |file: &str, inner: &str| (file.to_string(), inner.to_string());
        assert_eq!(
            at(&configs, "/db/pool.toml/pool/max", false),
            located("prod/db/pool.toml", "/pool/max")
        );
        assert_eq!(
            at(&configs, "/db/pool.toml", false),
            located("prod/db/pool.toml", "")
        );
        assert_eq!(
            at(&configs, "/s.yaml/1/b", false),
            located("prod/s.yaml", "/1/b")
        );
        assert_eq!(
            at(&configs, "/0/db/pool.toml/pool", true),
            located("prod/db/pool.toml", "/pool")
        );
        // Above any one file: the directory's.
        assert_eq!(at(&configs, "/db", false), located("prod", "/db"));
        let object = |kind: &str| format!("apiVersion: v1\nkind: {kind}\nmetadata:\n  name: x\n");
        let (a, b, c) = (object("A"), object("B"), object("C"));
        let two = format!("{a}---\n{b}");
        let objects = read("k8s", &[("one.yaml", &c), ("two.yaml", &two)]);
        assert_eq!(
            at(&objects, "/0/metadata/name", true),
            located("k8s/one.yaml", "/metadata/name")
        );
        assert_eq!(
            at(&objects, "/2/kind", true),
            located("k8s/two.yaml", "/1/kind")
        );
        assert_eq!(at(&objects, "/7/kind", true), located("k8s", "/7/kind"));
        let lone = read("k8s", &[("one.yaml", &c)]);
        assert_eq!(at(&lone, "/kind", false), located("k8s/one.yaml", "/kind"));
        // A file is its own.
        let file = crate::parse::parse(&Source::new("f.yaml", "a: 1\n")).unwrap();
        assert_eq!(at(&file, "/a", false), located("f.yaml", "/a"));
    }

    /// A large file's tree holds one value, one span and one map entry per scalar: these sizes
    /// are its memory. A field added to either grows every check of a large file.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_value_is_16_bytes_and_a_map_entry_48() {
        assert_eq!(std::mem::size_of::<Key>(), 16);
        assert_eq!(std::mem::size_of::<Value>(), 16);
        // Spans are offsets; lines and columns come from the document's `Lines`.
        assert_eq!(std::mem::size_of::<TextRange>(), 8);
        assert_eq!(std::mem::size_of::<Node>(), 24);
        assert_eq!(std::mem::size_of::<Member>(), 32);
        // A map's entry: the key and the member (its index adds a 4-byte position per slot).
        assert_eq!(std::mem::size_of::<(Key, Member)>(), 48);
        // A map itself (boxed in a value): its entries, and its index behind a pointer, since
        // most maps are small and have none.
        assert_eq!(std::mem::size_of::<Map>(), 32);
    }
}
