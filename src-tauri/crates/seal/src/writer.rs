//! Appending an incremental update to a PDF: serialises changed and new objects, writes a classic
//! cross-reference section whose `/Prev` points at the previous one, and keeps the original bytes
//! untouched as a prefix.

use std::collections::BTreeMap;
use std::io::Write as _;

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

use crate::SealError;

/// The body of one object in the update: an lopdf object, or bytes already serialised by the
/// caller (the signature dictionary, whose placeholder positions must be known).
pub(crate) enum Body {
    Object(Object),
    Raw(Vec<u8>),
}

/// Objects to append to a document as one incremental update.
pub(crate) struct Update {
    objects: BTreeMap<ObjectId, Body>,
    next_id: u32,
    trailer: Dictionary,
    prev_xref: usize,
}

/// The appended file and where each object's body starts in it.
pub(crate) struct Written {
    pub bytes: Vec<u8>,
    pub body_offsets: BTreeMap<ObjectId, usize>,
}

impl Update {
    /// Starts an update on top of `doc` (loaded from the bytes the update will be appended to).
    pub(crate) fn new(doc: &Document) -> Result<Self, SealError> {
        let size = doc
            .trailer
            .get(b"Size")
            .and_then(Object::as_i64)
            .unwrap_or(0);
        let after_size = u32::try_from(size.max(0)).unwrap_or(u32::MAX);
        let next_id = after_size.max(doc.max_id.saturating_add(1)).max(1);
        let mut trailer = Dictionary::new();
        for key in [&b"Root"[..], b"Info", b"ID"] {
            if let Ok(value) = doc.trailer.get(key) {
                trailer.set(key.to_vec(), value.clone());
            }
        }
        if doc.xref_start == 0 {
            return Err(SealError::Damaged(
                "the cross-reference position is unknown".into(),
            ));
        }
        Ok(Self {
            objects: BTreeMap::new(),
            next_id,
            trailer,
            prev_xref: doc.xref_start,
        })
    }

    /// Reserves a fresh object number.
    pub(crate) fn reserve(&mut self) -> ObjectId {
        let id = (self.next_id, 0);
        self.next_id = self.next_id.saturating_add(1);
        id
    }

    /// Adds a new object and returns its id.
    pub(crate) fn add(&mut self, object: impl Into<Object>) -> ObjectId {
        let id = self.reserve();
        self.set(id, object);
        id
    }

    /// Writes a new version of object `id` (or fills a reserved one).
    pub(crate) fn set(&mut self, id: ObjectId, object: impl Into<Object>) {
        self.objects.insert(id, Body::Object(object.into()));
    }

    /// Writes object `id` from bytes the caller serialised itself.
    pub(crate) fn set_raw(&mut self, id: ObjectId, body: Vec<u8>) {
        self.objects.insert(id, Body::Raw(body));
    }

    /// Appends the update to `base` (the bytes `doc` was loaded from).
    pub(crate) fn write(self, base: &[u8]) -> Written {
        let mut out = base.to_vec();
        if !out.ends_with(b"\n") && !out.ends_with(b"\r") {
            out.push(b'\n');
        }
        let mut offsets = BTreeMap::new();
        let mut body_offsets = BTreeMap::new();
        for (id, body) in &self.objects {
            offsets.insert(*id, out.len());
            out.extend_from_slice(format!("{} {} obj\n", id.0, id.1).as_bytes());
            body_offsets.insert(*id, out.len());
            match body {
                Body::Object(object) => write_object(&mut out, object),
                Body::Raw(bytes) => out.extend_from_slice(bytes),
            }
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref_at = out.len();
        out.extend_from_slice(b"xref\n0 1\n0000000000 65535 f\r\n");
        let ids: Vec<ObjectId> = offsets.keys().copied().collect();
        let mut start = 0;
        while start < ids.len() {
            let mut end = start + 1;
            while end < ids.len() && ids[end].0 == ids[end - 1].0 + 1 {
                end += 1;
            }
            out.extend_from_slice(format!("{} {}\n", ids[start].0, end - start).as_bytes());
            for id in &ids[start..end] {
                let offset = offsets.get(id).copied().unwrap_or(0);
                out.extend_from_slice(format!("{offset:010} {:05} n\r\n", id.1).as_bytes());
            }
            start = end;
        }
        let mut trailer = self.trailer;
        trailer.set("Size", Object::Integer(i64::from(self.next_id)));
        trailer.set(
            "Prev",
            Object::Integer(i64::try_from(self.prev_xref).unwrap_or(0)),
        );
        out.extend_from_slice(b"trailer\n");
        write_dictionary(&mut out, &trailer);
        out.extend_from_slice(format!("\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
        Written {
            bytes: out,
            body_offsets,
        }
    }
}

/// Serialises one PDF object in the PDF syntax.
pub(crate) fn write_object(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Object::Real(r) => {
            let value = if r.is_finite() { *r } else { 0.0 };
            out.extend_from_slice(format!("{value}").as_bytes());
        }
        Object::Name(name) => write_name(out, name),
        Object::String(bytes, StringFormat::Hexadecimal) => {
            out.push(b'<');
            out.extend_from_slice(hex::encode(bytes).as_bytes());
            out.push(b'>');
        }
        Object::String(bytes, StringFormat::Literal) => write_literal(out, bytes),
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => write_dictionary(out, dict),
        Object::Stream(stream) => {
            let mut dict = stream.dict.clone();
            dict.set(
                "Length",
                Object::Integer(i64::try_from(stream.content.len()).unwrap_or(i64::MAX)),
            );
            write_dictionary(out, &dict);
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference(id) => {
            let _ = write!(out, "{} {} R", id.0, id.1);
        }
    }
}

fn write_dictionary(out: &mut Vec<u8>, dict: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        write_name(out, key);
        out.push(b' ');
        write_object(out, value);
    }
    out.extend_from_slice(b">>");
}

/// Writes `/Name`, escaping delimiters, `#` and non-printable bytes as `#XX`.
pub(crate) fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        let plain = (0x21..=0x7e).contains(&b) && !b"#()<>[]{}/%".contains(&b);
        if plain {
            out.push(b);
        } else {
            let _ = write!(out, "#{b:02X}");
        }
    }
}

/// Writes `(literal)`, escaping backslash, parentheses and line breaks.
pub(crate) fn write_literal(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'(');
    for &b in bytes {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'(' => out.extend_from_slice(b"\\("),
            b')' => out.extend_from_slice(b"\\)"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\n' => out.extend_from_slice(b"\\n"),
            _ => out.push(b),
        }
    }
    out.push(b')');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_strings_are_escaped() {
        let mut out = Vec::new();
        write_object(&mut out, &Object::Name(b"application/json".to_vec()));
        write_object(
            &mut out,
            &Object::String(b"a(b)\\".to_vec(), StringFormat::Literal),
        );
        assert_eq!(out, b"/application#2Fjson(a\\(b\\)\\\\)");
    }
}
