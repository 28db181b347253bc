//! Attached files: embedding a file (the machine-readable record) into a PDF as an associated
//! file, and reading the attached files back out of a document.

use chrono::{DateTime, Utc};
use lopdf::{Dictionary, Document, Object, Stream, StringFormat};

use crate::document::{self, MAX_DEPTH};
use crate::writer::Update;
use crate::{SealError, pdf_date};

/// A file attached to the PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedFile {
    /// File name shown by PDF readers, e.g. `record.json`.
    pub name: String,
    /// MIME type, e.g. `application/json`.
    pub mime: String,
    /// Human-readable description.
    pub description: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Modification time recorded in the file's parameters.
    pub modified: DateTime<Utc>,
}

/// Attaches `file` to the PDF as an incremental update: an `/EmbeddedFile` stream, a `/Filespec`
/// with `/AFRelationship /Data`, listed in the catalog's `/Names /EmbeddedFiles` tree and `/AF`
/// array. A file already attached under the same name is replaced. The original bytes (and the
/// trailer `/ID`) are kept, and equal input gives equal output.
pub fn embed_file(pdf: &[u8], file: &EmbeddedFile) -> Result<Vec<u8>, SealError> {
    if file.name.trim().is_empty() {
        return Err(SealError::InvalidInput(
            "the attached file needs a name".into(),
        ));
    }
    let doc = document::load(pdf)?;
    let catalog_id = document::catalog_id(&doc)?;
    let mut catalog = document::catalog(&doc)?.clone();
    let mut update = Update::new(&doc)?;

    let mut params = Dictionary::new();
    params.set(
        "Size",
        Object::Integer(i64::try_from(file.bytes.len()).unwrap_or(i64::MAX)),
    );
    params.set(
        "ModDate",
        Object::string_literal(pdf_date::format(file.modified)),
    );
    let mut stream_dict = Dictionary::new();
    stream_dict.set("Type", Object::Name(b"EmbeddedFile".to_vec()));
    stream_dict.set("Subtype", Object::Name(file.mime.as_bytes().to_vec()));
    stream_dict.set("Params", Object::Dictionary(params));
    let stream_id = update.add(Object::Stream(Stream::new(stream_dict, file.bytes.clone())));

    let mut ef = Dictionary::new();
    ef.set("F", Object::Reference(stream_id));
    ef.set("UF", Object::Reference(stream_id));
    let mut filespec = Dictionary::new();
    filespec.set("Type", Object::Name(b"Filespec".to_vec()));
    filespec.set(
        "F",
        Object::String(ascii_file_name(&file.name), StringFormat::Literal),
    );
    filespec.set("UF", document::text_string(&file.name));
    filespec.set("Desc", document::text_string(&file.description));
    filespec.set("EF", Object::Dictionary(ef));
    filespec.set("AFRelationship", Object::Name(b"Data".to_vec()));
    let filespec_id = update.add(Object::Dictionary(filespec));

    // The /EmbeddedFiles name tree, rewritten flat with our entry replacing any of the same name.
    let key = match document::text_string(&file.name) {
        Object::String(bytes, _) => bytes,
        _ => file.name.as_bytes().to_vec(),
    };
    let mut entries: Vec<(Vec<u8>, Object)> = name_tree_entries(&doc, &catalog)
        .into_iter()
        .filter(|(k, _)| *k != key)
        .collect();
    entries.push((key, Object::Reference(filespec_id)));
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let names: Vec<Object> = entries
        .into_iter()
        .flat_map(|(k, v)| [Object::String(k, StringFormat::Literal), v])
        .collect();
    let mut tree = Dictionary::new();
    tree.set("Names", Object::Array(names));
    let tree_id = update.add(Object::Dictionary(tree));

    let mut names_dict = document::get_dict(&doc, &catalog, b"Names")
        .cloned()
        .unwrap_or_default();
    names_dict.set("EmbeddedFiles", Object::Reference(tree_id));
    match catalog.get(b"Names").and_then(Object::as_reference) {
        Ok(names_id) => update.set(names_id, Object::Dictionary(names_dict)),
        Err(_) => catalog.set("Names", Object::Dictionary(names_dict)),
    }

    // The catalog's /AF array: associated files of the whole document.
    let mut af: Vec<Object> = document::get_array(&doc, &catalog, b"AF")
        .cloned()
        .unwrap_or_default();
    af.retain(|entry| filespec_name(&doc, entry).as_deref() != Some(file.name.as_str()));
    af.push(Object::Reference(filespec_id));
    match catalog.get(b"AF").and_then(Object::as_reference) {
        Ok(af_id) => update.set(af_id, Object::Array(af)),
        Err(_) => catalog.set("AF", Object::Array(af)),
    }

    update.set(catalog_id, Object::Dictionary(catalog));
    Ok(update.write(pdf).bytes)
}

/// The `/F` name for old readers: the name with anything outside printable ASCII replaced.
fn ascii_file_name(name: &str) -> Vec<u8> {
    name.chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c as u8
            } else {
                b'_'
            }
        })
        .collect()
}

/// All `(key, value)` pairs of the catalog's `/EmbeddedFiles` name tree, kids included.
fn name_tree_entries(doc: &Document, catalog: &Dictionary) -> Vec<(Vec<u8>, Object)> {
    let mut entries = Vec::new();
    if let Some(root) = document::get_dict(doc, catalog, b"Names")
        .and_then(|names| document::get_dict(doc, names, b"EmbeddedFiles"))
    {
        collect_tree(doc, root, 0, &mut entries);
    }
    entries
}

fn collect_tree(doc: &Document, node: &Dictionary, depth: usize, out: &mut Vec<(Vec<u8>, Object)>) {
    if depth > MAX_DEPTH {
        return;
    }
    if let Some(names) = document::get_array(doc, node, b"Names") {
        for pair in names.chunks(2) {
            if let [key, value] = pair
                && let Some(Ok(k)) = document::resolve(doc, key).map(Object::as_str)
            {
                out.push((k.to_vec(), value.clone()));
            }
        }
    }
    if let Some(kids) = document::get_array(doc, node, b"Kids") {
        for kid in kids {
            if let Some(Object::Dictionary(kid)) = document::resolve(doc, kid) {
                collect_tree(doc, kid, depth + 1, out);
            }
        }
    }
}

/// The file name of a file specification (`/UF`, else `/F`).
fn filespec_name(doc: &Document, filespec: &Object) -> Option<String> {
    let dict = document::resolve(doc, filespec)?.as_dict().ok()?;
    document::get(doc, dict, b"UF")
        .or_else(|| document::get(doc, dict, b"F"))
        .and_then(document::text)
}

/// Every file attached through the `/EmbeddedFiles` name tree of `doc`, in tree order.
/// Entries that cannot be read (missing stream, unknown filter) are skipped.
pub(crate) fn embedded_files(doc: &Document) -> Vec<EmbeddedFile> {
    let Ok(catalog) = document::catalog(doc) else {
        return Vec::new();
    };
    name_tree_entries(doc, catalog)
        .into_iter()
        .filter_map(|(key, value)| read_filespec(doc, &key, &value))
        .collect()
}

fn read_filespec(doc: &Document, key: &[u8], value: &Object) -> Option<EmbeddedFile> {
    let spec = document::resolve(doc, value)?.as_dict().ok()?;
    let ef = document::get_dict(doc, spec, b"EF")?;
    let stream = document::get(doc, ef, b"UF")
        .or_else(|| document::get(doc, ef, b"F"))?
        .as_stream()
        .ok()?;
    let bytes = if stream.dict.get(b"Filter").is_ok() {
        stream.decompressed_content().ok()?
    } else {
        stream.content.clone()
    };
    let name = filespec_name(doc, value).unwrap_or_else(|| {
        document::text(&Object::String(key.to_vec(), StringFormat::Literal)).unwrap_or_default()
    });
    let mime = stream
        .dict
        .get(b"Subtype")
        .and_then(Object::as_name)
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default();
    let description = document::get(doc, spec, b"Desc")
        .and_then(document::text)
        .unwrap_or_default();
    let modified = document::get_dict(doc, &stream.dict, b"Params")
        .and_then(|p| document::get(doc, p, b"ModDate"))
        .and_then(|d| d.as_str().ok())
        .and_then(pdf_date::parse)
        .unwrap_or_default();
    Some(EmbeddedFile {
        name,
        mime,
        description,
        bytes,
        modified,
    })
}
