//! CMS SignedData for PDF signatures (RFC 5652, CAdES baseline B-B attributes): building a
//! detached signature over a PDF digest, reading one back, verifying it, and adding an unsigned
//! signature time-stamp attribute.

use chrono::{DateTime, Utc};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::ContentInfo;
use cms::signed_data::{
    EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{Any, ObjectIdentifier, OctetString, SetOfVec};
use der::{Decode, Encode, Sequence, SliceReader};
use p256::ecdsa::signature::{Keypair, Signer};
use sha2::{Digest, Sha256, Sha384, Sha512};
use spki::{AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, SignatureBitStringEncoding};
use x509_cert::Certificate;
use x509_cert::attr::Attribute;

use crate::keys::PrivateKey;
use crate::{SealError, SigningIdentity, certificate, keys};

pub(crate) const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const ID_SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
const ID_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
/// id-aa-signatureTimeStampToken: an RFC 3161 token over the signature value.
pub(crate) const ID_TIMESTAMP_TOKEN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");
pub(crate) const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

/// ESSCertIDv2 (RFC 5035); `hash_algorithm` absent means the default, SHA-256.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct EssCertIdV2 {
    #[asn1(optional = "true")]
    hash_algorithm: Option<AlgorithmIdentifierOwned>,
    cert_hash: OctetString,
}

/// SigningCertificateV2 (RFC 5035), without policies.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

fn err(e: impl std::fmt::Display) -> SealError {
    SealError::Signing(e.to_string())
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute, SealError> {
    let values = SetOfVec::try_from(vec![value]).map_err(err)?;
    Ok(Attribute { oid, values })
}

/// Builds the DER `ContentInfo` of a detached CMS SignedData over `pdf_digest` (SHA-256 of the
/// byte ranges) with signed attributes contentType, messageDigest, signingTime and
/// signingCertificateV2, the signer's certificate included.
pub(crate) fn sign_digest(
    identity: &SigningIdentity,
    pdf_digest: &[u8],
    signing_time: DateTime<Utc>,
) -> Result<Vec<u8>, SealError> {
    let cert_der = identity.certificate_der();
    let cert = certificate::parse(cert_der)?;
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: cert.tbs_certificate.issuer.clone(),
        serial_number: cert.tbs_certificate.serial_number.clone(),
    });
    let time = u64::try_from(signing_time.timestamp())
        .map_err(|_| SealError::InvalidInput("the signing time is before 1970".into()))?;
    let time = x509_cert::time::Time::try_from(
        std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(time),
    )
    .map_err(err)?;
    let signing_certificate = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            hash_algorithm: None,
            cert_hash: OctetString::new(Sha256::digest(cert_der).to_vec()).map_err(err)?,
        }],
    };
    let attributes = vec![
        attribute(ID_SIGNING_TIME, Any::encode_from(&time).map_err(err)?)?,
        attribute(
            ID_SIGNING_CERTIFICATE_V2,
            Any::encode_from(&signing_certificate).map_err(err)?,
        )?,
    ];
    let parts = Parts {
        sid,
        cert,
        attributes,
        digest: pdf_digest,
    };
    match identity.private_key()? {
        PrivateKey::P256(key) => build::<_, p256::ecdsa::DerSignature>(&key, parts),
        PrivateKey::Rsa(key) => build::<_, rsa::pkcs1v15::Signature>(key.as_ref(), parts),
    }
}

struct Parts<'a> {
    sid: SignerIdentifier,
    cert: Certificate,
    attributes: Vec<Attribute>,
    digest: &'a [u8],
}

fn build<S, Sig>(signer: &S, parts: Parts<'_>) -> Result<Vec<u8>, SealError>
where
    S: Keypair + DynSignatureAlgorithmIdentifier + Signer<Sig>,
    Sig: SignatureBitStringEncoding,
{
    let content = EncapsulatedContentInfo {
        econtent_type: ID_DATA,
        econtent: None,
    };
    let digest_algorithm = AlgorithmIdentifierOwned {
        oid: SHA256,
        parameters: None,
    };
    let mut signer_info = cms::builder::SignerInfoBuilder::new(
        signer,
        parts.sid,
        digest_algorithm.clone(),
        &content,
        Some(parts.digest),
    )
    .map_err(err)?;
    for attribute in parts.attributes {
        signer_info.add_signed_attribute(attribute).map_err(err)?;
    }
    let mut builder = cms::builder::SignedDataBuilder::new(&content);
    builder
        .add_digest_algorithm(digest_algorithm)
        .map_err(err)?
        .add_certificate(CertificateChoices::Certificate(parts.cert))
        .map_err(err)?
        .add_signer_info::<S, Sig>(signer_info)
        .map_err(err)?;
    builder.build().map_err(err)?.to_der().map_err(err)
}

/// Reads the ContentInfo at the start of `contents`; trailing zero padding is ignored.
fn signed_data(contents: &[u8]) -> Result<SignedData, String> {
    let mut reader = SliceReader::new(contents).map_err(|e| e.to_string())?;
    let info = ContentInfo::decode(&mut reader).map_err(|e| e.to_string())?;
    if info.content_type != ID_SIGNED_DATA {
        return Err("the signature is not CMS SignedData".into());
    }
    info.content
        .decode_as::<SignedData>()
        .map_err(|e| e.to_string())
}

fn first_signer(data: &SignedData) -> Result<&SignerInfo, String> {
    data.signer_infos
        .0
        .get(0)
        .ok_or_else(|| "the signature has no signer".to_string())
}

/// The signature value of the (first) signer: what a time-stamp is requested over.
pub(crate) fn signature_value(contents: &[u8]) -> Result<Vec<u8>, SealError> {
    let data = signed_data(contents).map_err(SealError::Signing)?;
    let signer = first_signer(&data).map_err(SealError::Signing)?;
    Ok(signer.signature.as_bytes().to_vec())
}

/// Adds `token` (a DER time-stamp token ContentInfo) as the signer's unsigned
/// signatureTimeStampToken attribute; the signed part stays untouched.
pub(crate) fn add_timestamp(contents: &[u8], token: &[u8]) -> Result<Vec<u8>, SealError> {
    let bad = |e: String| SealError::InvalidTimestamp(e);
    let mut data = signed_data(contents).map_err(SealError::Signing)?;
    let token = Any::from_der(token).map_err(|e| bad(e.to_string()))?;
    let mut signers = data.signer_infos.0.clone().into_vec();
    let signer = signers
        .first_mut()
        .ok_or_else(|| bad("the signature has no signer".into()))?;
    let mut unsigned: Vec<Attribute> = signer
        .unsigned_attrs
        .take()
        .map(SetOfVec::into_vec)
        .unwrap_or_default();
    unsigned.retain(|a| a.oid != ID_TIMESTAMP_TOKEN);
    unsigned.push(attribute(ID_TIMESTAMP_TOKEN, token).map_err(|e| bad(e.to_string()))?);
    signer.unsigned_attrs = Some(SetOfVec::try_from(unsigned).map_err(|e| bad(e.to_string()))?);
    data.signer_infos = SignerInfos::try_from(signers).map_err(|e| bad(e.to_string()))?;
    let content = Any::encode_from(&data).map_err(|e| bad(e.to_string()))?;
    ContentInfo {
        content_type: ID_SIGNED_DATA,
        content,
    }
    .to_der()
    .map_err(|e| bad(e.to_string()))
}

/// What a CMS signature in a PDF says, and whether its cryptography holds.
pub(crate) struct ParsedSignature {
    pub certificate_der: Option<Vec<u8>>,
    pub digest_algorithm: ObjectIdentifier,
    pub message_digest: Option<Vec<u8>>,
    pub signing_time: Option<DateTime<Utc>>,
    /// The signer's signature verifies over the signed attributes with the certificate's key.
    pub signature_valid: bool,
    pub signature_value: Vec<u8>,
    pub timestamp_token: Option<Vec<u8>>,
}

/// Parses the `/Contents` of a signature (DER, possibly zero-padded).
pub(crate) fn parse(contents: &[u8]) -> Result<ParsedSignature, String> {
    let data = signed_data(contents)?;
    let signer = first_signer(&data)?;
    let certificate = find_certificate(&data, &signer.sid);
    let certificate_der = certificate.and_then(|c| c.to_der().ok());

    let mut message_digest = None;
    let mut signing_time = None;
    if let Some(attrs) = &signer.signed_attrs {
        for attr in attrs.iter() {
            let Some(value) = attr.values.get(0) else {
                continue;
            };
            if attr.oid == ID_MESSAGE_DIGEST {
                message_digest = value
                    .decode_as::<OctetString>()
                    .ok()
                    .map(|o| o.as_bytes().to_vec());
            } else if attr.oid == ID_SIGNING_TIME {
                signing_time = value
                    .to_der()
                    .ok()
                    .and_then(|der| x509_cert::time::Time::from_der(&der).ok())
                    .map(certificate::to_chrono);
            }
        }
    }
    let timestamp_token = signer.unsigned_attrs.as_ref().and_then(|attrs| {
        attrs
            .iter()
            .find(|a| a.oid == ID_TIMESTAMP_TOKEN)
            .and_then(|a| a.values.get(0))
            .and_then(|v| v.to_der().ok())
    });
    let signed_attrs_der = signer.signed_attrs.as_ref().and_then(|a| a.to_der().ok());
    let signature_valid = match (certificate, &signed_attrs_der) {
        (Some(cert), Some(signed)) => keys::verify(
            &cert.tbs_certificate.subject_public_key_info,
            &signer.signature_algorithm.oid,
            signed,
            signer.signature.as_bytes(),
        ),
        _ => false,
    };
    Ok(ParsedSignature {
        certificate_der,
        digest_algorithm: signer.digest_alg.oid,
        message_digest,
        signing_time,
        signature_valid,
        signature_value: signer.signature.as_bytes().to_vec(),
        timestamp_token,
    })
}

fn find_certificate<'a>(data: &'a SignedData, sid: &SignerIdentifier) -> Option<&'a Certificate> {
    let certs = data.certificates.as_ref()?;
    let mut all = certs.0.iter().filter_map(|c| match c {
        CertificateChoices::Certificate(cert) => Some(cert),
        CertificateChoices::Other(_) => None,
    });
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(id) => all.find(|c| {
            c.tbs_certificate.issuer == id.issuer
                && c.tbs_certificate.serial_number == id.serial_number
        }),
        SignerIdentifier::SubjectKeyIdentifier(_) => all.next(),
    }
}

/// Hashes `parts` with the digest algorithm named by `oid` (SHA-256/384/512).
pub(crate) fn digest(oid: &ObjectIdentifier, parts: &[&[u8]]) -> Option<Vec<u8>> {
    fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
        let mut hasher = D::new();
        for part in parts {
            hasher.update(part);
        }
        hasher.finalize().to_vec()
    }
    match *oid {
        SHA256 => Some(run::<Sha256>(parts)),
        SHA384 => Some(run::<Sha384>(parts)),
        SHA512 => Some(run::<Sha512>(parts)),
        _ => None,
    }
}
