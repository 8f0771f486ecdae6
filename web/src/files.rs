//! Reading dropped and picked files in the browser.

use crate::model::LoadedFile;
use driftwise_engine::Source;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The files of a `FileList`, taken out at once: the list is live, and clearing the file input (so the
/// same file can be picked again) would empty it before an asynchronous read got to it.
pub fn take_files(list: &web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}

/// Reads every file as UTF-8. A file that is not UTF-8 becomes an error naming the first bad byte's
/// position, exactly as the CLI reports it.
pub async fn read_files(list: Vec<web_sys::File>) -> (Vec<LoadedFile>, Vec<String>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for file in list {
        let name = file.name();
        match JsFuture::from(file.array_buffer()).await {
            Ok(buffer) => {
                let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                match Source::from_bytes(name.clone(), bytes) {
                    Ok(source) => files.push(LoadedFile::new(source.name, source.text)),
                    Err(e) => errors.push(e.to_string()),
                }
            }
            Err(e) => errors.push(format!(
                "{name}: cannot read: {}",
                e.dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_else(|| "unknown error".into())
            )),
        }
    }
    (files, errors)
}
