//! Reading dropped and picked files and folders in the browser.

use crate::model::LoadedFile;
use driftwise_engine::Source;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A file given to the page, with its path from the top of what was given: `prod/app.yaml` for a
/// file of the folder `prod`, the bare name for a file given by itself.
pub struct Given {
    pub path: String,
    pub file: web_sys::File,
}

/// The files of a `FileList`, taken out at once: the list is live, and clearing the file input (so
/// the same file can be picked again) would empty it before an asynchronous read got to it. A
/// folder picker's files carry their path inside the folder (`webkitRelativePath`).
pub fn take_files(list: &web_sys::FileList) -> Vec<Given> {
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|file| {
            let relative = js_sys::Reflect::get(&file, &JsValue::from_str("webkitRelativePath"))
                .ok()
                .and_then(|p| p.as_string())
                .filter(|p| !p.is_empty());
            Given {
                path: relative.unwrap_or_else(|| file.name()),
                file,
            }
        })
        .collect()
}

/// The entries of a drop, taken while the drop event lasts (the browser empties its list after),
/// when any of them is a folder; `None` when only files were dropped.
pub fn dropped_folders(data: &web_sys::DataTransfer) -> Option<Vec<web_sys::FileSystemEntry>> {
    let items = data.items();
    let entries: Vec<web_sys::FileSystemEntry> = (0..items.length())
        .filter_map(|i| items.get(i))
        .filter(|item| item.kind() == "file")
        .filter_map(|item| item.webkit_get_as_entry().ok().flatten())
        .collect();
    entries.iter().any(|e| e.is_directory()).then_some(entries)
}

/// Every file under the dropped entries, each with its path from the top of the drop. Folders are
/// walked as the CLI walks a directory. Errors name the entry that could not be read.
pub async fn walk(entries: Vec<web_sys::FileSystemEntry>) -> (Vec<Given>, Vec<String>) {
    let mut given = Vec::new();
    let mut errors = Vec::new();
    // Popped from the end: reversed, so entries come out in the order they were given.
    let mut stack: Vec<_> = entries.into_iter().rev().collect();
    while let Some(entry) = stack.pop() {
        let path = entry.full_path().trim_start_matches('/').to_string();
        let result = if entry.is_directory() {
            folder_entries(entry.unchecked_ref())
                .await
                .map(|inner| stack.extend(inner.into_iter().rev()))
        } else {
            file_of(entry.unchecked_ref()).await.map(|file| {
                given.push(Given {
                    path: path.clone(),
                    file,
                })
            })
        };
        if let Err(e) = result {
            errors.push(format!("{path}: cannot read: {}", message(&e)));
        }
    }
    (given, errors)
}

/// A folder's entries: `readEntries` answers in batches until it answers none.
async fn folder_entries(
    folder: &web_sys::FileSystemDirectoryEntry,
) -> Result<Vec<web_sys::FileSystemEntry>, JsValue> {
    let reader = folder.create_reader();
    let mut entries = Vec::new();
    loop {
        let mut failed = None;
        let batch = js_sys::Promise::new(&mut |resolve, reject| {
            if let Err(e) = reader
                .read_entries_with_callback_and_error_callback(&resolve, reject.unchecked_ref())
            {
                failed = Some(e);
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        let batch = js_sys::Array::from(&JsFuture::from(batch).await?);
        if batch.length() == 0 {
            return Ok(entries);
        }
        entries.extend(batch.iter().map(JsCast::unchecked_into));
    }
}

async fn file_of(entry: &web_sys::FileSystemFileEntry) -> Result<web_sys::File, JsValue> {
    let file = js_sys::Promise::new(&mut |resolve, reject| {
        entry.file_with_callback_and_error_callback(&resolve, reject.unchecked_ref());
    });
    Ok(JsFuture::from(file).await?.unchecked_into())
}

/// Reads every given file as UTF-8, the files of a folder into one folder. A file that is not
/// UTF-8 becomes an error naming the first bad byte's position, exactly as the CLI reports it; in
/// a folder, the rest of the folder is still read.
pub async fn read_given(given: Vec<Given>) -> (Vec<LoadedFile>, Vec<String>) {
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    for gathered in crate::model::gather(given.into_iter().map(|g| (g.path, g.file)).collect()) {
        match gathered {
            crate::model::Gathered::File(name, file) => match read(name, &file).await {
                Ok(source) => loaded.push(LoadedFile::new(source.name, source.text)),
                Err(e) => errors.push(e),
            },
            crate::model::Gathered::Folder(name, files) => {
                let mut sources = Vec::new();
                for (path, file) in files {
                    match read(path, &file).await {
                        Ok(source) => sources.push(source),
                        Err(e) => errors.push(e),
                    }
                }
                if sources.is_empty() {
                    errors.push(format!("{name}: an empty folder: nothing to compare"));
                } else {
                    loaded.push(LoadedFile::folder(name, sources));
                }
            }
        }
    }
    (loaded, errors)
}

async fn read(name: String, file: &web_sys::File) -> Result<Source, String> {
    match JsFuture::from(file.array_buffer()).await {
        Ok(buffer) => {
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            Source::from_bytes(name, bytes).map_err(|e| e.to_string())
        }
        Err(e) => Err(format!("{name}: cannot read: {}", message(&e))),
    }
}

fn message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| {
            js_sys::Reflect::get(e, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "unknown error".into())
}
