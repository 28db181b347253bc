//! Reading X.509 certificates: readable names, fingerprints, validity, PEM, and checking a
//! certificate's own signature (self-signed or not).

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use der::asn1::{Any, ObjectIdentifier};
use der::{Decode, Encode, Tag, Tagged};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::name::Name;

use crate::SealError;
use crate::keys;

/// What a certificate says, in readable form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// Subject name, e.g. `CN=Ann Lee, emailAddress=ann@example.com`.
    pub subject: String,
    /// Issuer name in the same form.
    pub issuer: String,
    /// Serial number, uppercase hex.
    pub serial_hex: String,
    /// SHA-256 of the DER certificate, uppercase hex pairs joined by colons (as `openssl x509
    /// -fingerprint -sha256` prints it).
    pub fingerprint_sha256: String,
    /// Start of validity.
    pub not_before: DateTime<Utc>,
    /// End of validity.
    pub not_after: DateTime<Utc>,
    /// Issuer equals subject and the certificate's signature verifies with its own key.
    pub self_signed: bool,
}

/// Parses a DER certificate.
pub(crate) fn parse(der: &[u8]) -> Result<Certificate, SealError> {
    Certificate::from_der(der).map_err(|e| SealError::InvalidCertificate(e.to_string()))
}

/// Describes a DER certificate.
pub fn certificate_info(der: &[u8]) -> Result<CertificateInfo, SealError> {
    let cert = parse(der)?;
    Ok(describe(&cert, der))
}

pub(crate) fn describe(cert: &Certificate, der: &[u8]) -> CertificateInfo {
    let tbs = &cert.tbs_certificate;
    let self_signed = tbs.issuer == tbs.subject
        && tbs.to_der().is_ok_and(|signed| {
            keys::verify(
                &tbs.subject_public_key_info,
                &cert.signature_algorithm.oid,
                &signed,
                cert.signature.raw_bytes(),
            )
        });
    CertificateInfo {
        subject: readable_name(&tbs.subject),
        issuer: readable_name(&tbs.issuer),
        serial_hex: hex::encode_upper(tbs.serial_number.as_bytes()),
        fingerprint_sha256: fingerprint(der),
        not_before: to_chrono(tbs.validity.not_before),
        not_after: to_chrono(tbs.validity.not_after),
        self_signed,
    }
}

/// The certificate as PEM text (`-----BEGIN CERTIFICATE-----`).
pub fn certificate_pem(der: &[u8]) -> Result<String, SealError> {
    parse(der)?;
    der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, der)
        .map_err(|e| SealError::InvalidCertificate(e.to_string()))
}

/// SHA-256 fingerprint, `AB:CD:...`.
pub(crate) fn fingerprint(der: &[u8]) -> String {
    let digest = Sha256::digest(der);
    let mut out = String::with_capacity(digest.len() * 3);
    for (i, b) in digest.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        let _ = write!(out, "{b:02X}");
    }
    out
}

pub(crate) fn to_chrono(time: x509_cert::time::Time) -> DateTime<Utc> {
    let secs = i64::try_from(time.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

/// `CN=Ann Lee, emailAddress=ann@example.com`: attributes in encoded order, short names for the
/// common ones and dotted OIDs for the rest.
pub(crate) fn readable_name(name: &Name) -> String {
    let mut parts = Vec::new();
    for rdn in name.0.iter() {
        for atv in rdn.0.iter() {
            parts.push(format!(
                "{}={}",
                short_name(&atv.oid),
                value_text(&atv.value)
            ));
        }
    }
    parts.join(", ")
}

fn short_name(oid: &ObjectIdentifier) -> String {
    let known = [
        ("2.5.4.3", "CN"),
        ("2.5.4.4", "SN"),
        ("2.5.4.5", "serialNumber"),
        ("2.5.4.6", "C"),
        ("2.5.4.7", "L"),
        ("2.5.4.8", "ST"),
        ("2.5.4.10", "O"),
        ("2.5.4.11", "OU"),
        ("2.5.4.12", "title"),
        ("2.5.4.42", "GN"),
        ("1.2.840.113549.1.9.1", "emailAddress"),
    ];
    let dotted = oid.to_string();
    known
        .iter()
        .find(|(o, _)| *o == dotted)
        .map_or(dotted.clone(), |(_, n)| (*n).to_string())
}

fn value_text(value: &Any) -> String {
    match value.tag() {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::TeletexString => {
            String::from_utf8_lossy(value.value()).into_owned()
        }
        Tag::BmpString => {
            let units: Vec<u16> = value
                .value()
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => format!("#{}", hex::encode(value.to_der().unwrap_or_default())),
    }
}
