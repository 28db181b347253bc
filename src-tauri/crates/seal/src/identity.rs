//! Signing identities: a private key with its certificate, either a fresh self-signed ECDSA
//! P-256 certificate naming the person, or an existing key and certificate checked to match.

use std::fmt;
use std::str::FromStr as _;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use der::Encode;
use der::asn1::{Any, Ia5StringRef, ObjectIdentifier, SetOfVec, Utf8StringRef};
use p256::pkcs8::EncodePrivateKey as _;
use rand_core::{OsRng, RngCore as _};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::builder::{Builder as _, CertificateBuilder, Profile};
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};
use zeroize::Zeroizing;

use crate::SealError;
use crate::certificate::{self, CertificateInfo};
use crate::keys::{self, PrivateKey};

/// Who a self-signed certificate names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdentitySubject {
    /// Full name (certificate CN).
    pub name: String,
    /// E-mail address (emailAddress attribute and rfc822Name subject alternative name).
    pub email: Option<String>,
    /// Organisation (O).
    pub organisation: Option<String>,
    /// Role, e.g. "Release manager" (title).
    pub role: Option<String>,
}

/// A private key (PKCS#8 DER, wiped on drop) and the certificate that belongs to it.
/// Built only through constructors that check the key matches the certificate.
#[derive(Clone)]
pub struct SigningIdentity {
    private_key_pkcs8_der: Zeroizing<Vec<u8>>,
    certificate_der: Vec<u8>,
}

impl fmt::Debug for SigningIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let subject = certificate::certificate_info(&self.certificate_der)
            .map(|i| i.subject)
            .unwrap_or_default();
        f.debug_struct("SigningIdentity")
            .field("certificate_subject", &subject)
            .field(
                "fingerprint_sha256",
                &certificate::fingerprint(&self.certificate_der),
            )
            .field("private_key", &"<redacted>")
            .finish()
    }
}

impl SigningIdentity {
    /// Pairs a PKCS#8 DER private key with a DER certificate; fails with
    /// [`SealError::KeyMismatch`] when the key does not belong to the certificate.
    pub fn from_pkcs8_and_cert(
        private_key_pkcs8_der: Zeroizing<Vec<u8>>,
        certificate_der: Vec<u8>,
    ) -> Result<Self, SealError> {
        let key = PrivateKey::from_pkcs8_der(&private_key_pkcs8_der)?;
        let cert = certificate::parse(&certificate_der)?;
        if !keys::matches(&key, &cert.tbs_certificate.subject_public_key_info) {
            return Err(SealError::KeyMismatch);
        }
        Ok(Self {
            private_key_pkcs8_der,
            certificate_der,
        })
    }

    /// The private key, PKCS#8 DER (for storing it in the OS keychain).
    pub fn private_key_pkcs8_der(&self) -> &Zeroizing<Vec<u8>> {
        &self.private_key_pkcs8_der
    }

    /// The certificate, DER.
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate_der
    }

    /// What the certificate says.
    pub fn certificate_info(&self) -> Result<CertificateInfo, SealError> {
        certificate::certificate_info(&self.certificate_der)
    }

    pub(crate) fn private_key(&self) -> Result<PrivateKey, SealError> {
        PrivateKey::from_pkcs8_der(&self.private_key_pkcs8_der)
    }
}

/// Creates a new ECDSA P-256 key pair and a self-signed X.509 v3 certificate naming the person,
/// valid from `now` for `valid_days` days, with key usage digitalSignature + nonRepudiation.
pub fn new_self_signed_identity(
    subject: &IdentitySubject,
    now: DateTime<Utc>,
    valid_days: u32,
) -> Result<SigningIdentity, SealError> {
    if subject.name.trim().is_empty() {
        return Err(SealError::InvalidInput("the signer needs a name".into()));
    }
    if valid_days == 0 {
        return Err(SealError::InvalidInput(
            "the certificate must be valid for at least one day".into(),
        ));
    }
    let key = p256::ecdsa::SigningKey::random(&mut OsRng);
    let name = subject_name(subject)?;
    let spki = spki::SubjectPublicKeyInfoOwned::from_key(*key.verifying_key())
        .map_err(|e| SealError::Signing(e.to_string()))?;

    let mut serial = [0u8; 16];
    OsRng.fill_bytes(&mut serial);
    serial[0] = (serial[0] & 0x7f) | 0x01;
    let serial = SerialNumber::new(&serial).map_err(|e| SealError::Signing(e.to_string()))?;

    let start = u64::try_from(now.timestamp())
        .map_err(|_| SealError::InvalidInput("the start of validity is before 1970".into()))?;
    let end = start + u64::from(valid_days) * 86_400;
    let validity = Validity {
        not_before: x509_time(start)?,
        not_after: x509_time(end)?,
    };

    let profile = Profile::Leaf {
        issuer: name.clone(),
        enable_key_agreement: false,
        enable_key_encipherment: false,
    };
    let mut builder = CertificateBuilder::new(profile, serial, validity, name, spki, &key)
        .map_err(|e| SealError::Signing(e.to_string()))?;
    if let Some(email) = subject.email.as_deref().filter(|e| !e.is_empty()) {
        let email = der::asn1::Ia5String::new(email).map_err(|_| {
            SealError::InvalidInput("the e-mail address must be plain ASCII".into())
        })?;
        builder
            .add_extension(&SubjectAltName(vec![GeneralName::Rfc822Name(email)]))
            .map_err(|e| SealError::Signing(e.to_string()))?;
    }
    let cert = builder
        .build::<p256::ecdsa::DerSignature>()
        .map_err(|e| SealError::Signing(e.to_string()))?;
    let certificate_der = cert
        .to_der()
        .map_err(|e| SealError::Signing(e.to_string()))?;
    let private_key_pkcs8_der = Zeroizing::new(
        key.to_pkcs8_der()
            .map_err(|e| SealError::Signing(e.to_string()))?
            .as_bytes()
            .to_vec(),
    );
    Ok(SigningIdentity {
        private_key_pkcs8_der,
        certificate_der,
    })
}

fn x509_time(unix_seconds: u64) -> Result<Time, SealError> {
    Time::try_from(SystemTime::UNIX_EPOCH + Duration::from_secs(unix_seconds))
        .map_err(|e| SealError::InvalidInput(format!("unusable validity time: {e}")))
}

/// CN, title, O and emailAddress, one attribute per RDN, in that order.
fn subject_name(subject: &IdentitySubject) -> Result<Name, SealError> {
    let mut rdns = Vec::new();
    let mut push = |oid: &str, value: Any| -> Result<(), SealError> {
        let atv = AttributeTypeAndValue {
            oid: ObjectIdentifier::from_str(oid).map_err(|e| SealError::Signing(e.to_string()))?,
            value,
        };
        let set = SetOfVec::try_from(vec![atv]).map_err(|e| SealError::Signing(e.to_string()))?;
        rdns.push(RelativeDistinguishedName(set));
        Ok(())
    };
    let utf8 = |s: &str| -> Result<Any, SealError> {
        Any::encode_from(
            &Utf8StringRef::new(s).map_err(|e| SealError::InvalidInput(e.to_string()))?,
        )
        .map_err(|e| SealError::InvalidInput(e.to_string()))
    };
    push("2.5.4.3", utf8(subject.name.trim())?)?;
    if let Some(role) = subject.role.as_deref().filter(|r| !r.trim().is_empty()) {
        push("2.5.4.12", utf8(role.trim())?)?;
    }
    if let Some(org) = subject
        .organisation
        .as_deref()
        .filter(|o| !o.trim().is_empty())
    {
        push("2.5.4.10", utf8(org.trim())?)?;
    }
    if let Some(email) = subject.email.as_deref().filter(|e| !e.is_empty()) {
        let ia5 = Ia5StringRef::new(email).map_err(|_| {
            SealError::InvalidInput("the e-mail address must be plain ASCII".into())
        })?;
        push(
            "1.2.840.113549.1.9.1",
            Any::encode_from(&ia5).map_err(|e| SealError::InvalidInput(e.to_string()))?,
        )?;
    }
    Ok(RdnSequence(rdns))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn ann() -> IdentitySubject {
        IdentitySubject {
            name: "Ann Lee".into(),
            email: Some("ann@example.com".into()),
            organisation: Some("Example Ltd".into()),
            role: Some("Release manager".into()),
        }
    }

    #[test]
    fn the_certificate_key_matches_the_private_key() {
        let now = Utc.with_ymd_and_hms(2025, 3, 1, 9, 0, 0).single().unwrap();
        let id = new_self_signed_identity(&ann(), now, 365).unwrap();
        let key = id.private_key().unwrap();
        let cert = certificate::parse(id.certificate_der()).unwrap();
        assert!(keys::matches(
            &key,
            &cert.tbs_certificate.subject_public_key_info
        ));
        let info = id.certificate_info().unwrap();
        assert!(info.self_signed);
        assert_eq!(info.not_before, now);
        assert_eq!(info.not_after, now + chrono::Duration::days(365));
        assert_eq!(
            info.subject,
            "CN=Ann Lee, title=Release manager, O=Example Ltd, emailAddress=ann@example.com"
        );
    }

    #[test]
    fn a_key_from_another_identity_is_rejected() {
        let now = Utc.with_ymd_and_hms(2025, 3, 1, 9, 0, 0).single().unwrap();
        let a = new_self_signed_identity(&ann(), now, 30).unwrap();
        let b = new_self_signed_identity(&ann(), now, 30).unwrap();
        let err = SigningIdentity::from_pkcs8_and_cert(
            a.private_key_pkcs8_der().clone(),
            b.certificate_der().to_vec(),
        )
        .unwrap_err();
        assert_eq!(err.code(), "key_mismatch");
    }
}
