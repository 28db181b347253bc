//! Private keys (ECDSA P-256, RSA) loaded from PKCS#8, and signature verification with a
//! certificate's public key (ECDSA P-256 / SHA-256, RSA PKCS#1 v1.5 / SHA-256).

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};
use spki::SubjectPublicKeyInfoOwned;

use crate::SealError;

const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// A private key that can sign CMS signed attributes.
pub(crate) enum PrivateKey {
    P256(p256::ecdsa::SigningKey),
    Rsa(Box<rsa::pkcs1v15::SigningKey<sha2::Sha256>>),
}

impl PrivateKey {
    /// Reads a PKCS#8 DER private key (P-256 or RSA).
    pub(crate) fn from_pkcs8_der(der: &[u8]) -> Result<Self, SealError> {
        use p256::pkcs8::DecodePrivateKey as _;
        if let Ok(key) = p256::ecdsa::SigningKey::from_pkcs8_der(der) {
            return Ok(Self::P256(key));
        }
        match rsa::RsaPrivateKey::from_pkcs8_der(der) {
            Ok(key) => Ok(Self::Rsa(Box::new(rsa::pkcs1v15::SigningKey::new(key)))),
            Err(e) => Err(SealError::InvalidKey(format!(
                "not a P-256 or RSA PKCS#8 key ({e})"
            ))),
        }
    }

    /// The public key as a SubjectPublicKeyInfo.
    pub(crate) fn public_key_info(&self) -> Result<SubjectPublicKeyInfoOwned, SealError> {
        use spki::EncodePublicKey as _;
        let der = match self {
            Self::P256(key) => key.verifying_key().to_public_key_der(),
            Self::Rsa(key) => rsa::RsaPublicKey::from(key.as_ref().as_ref()).to_public_key_der(),
        }
        .map_err(|e| SealError::InvalidKey(e.to_string()))?;
        SubjectPublicKeyInfoOwned::from_der(der.as_bytes())
            .map_err(|e| SealError::InvalidKey(e.to_string()))
    }
}

/// True when `key` belongs to the public key info `spki` (same algorithm and key bits).
pub(crate) fn matches(key: &PrivateKey, spki: &SubjectPublicKeyInfoOwned) -> bool {
    match (key.public_key_info(), spki.to_der()) {
        (Ok(ours), Ok(theirs)) => ours.to_der().is_ok_and(|ours| ours == theirs),
        _ => false,
    }
}

/// Verifies `signature` over `message` with the public key in `spki`, for the signature
/// algorithm `algorithm` (a CMS SignerInfo may name the key algorithm instead).
pub(crate) fn verify(
    spki: &SubjectPublicKeyInfoOwned,
    algorithm: &ObjectIdentifier,
    message: &[u8],
    signature: &[u8],
) -> bool {
    use p256::ecdsa::signature::Verifier as _;
    let key_bytes = spki.subject_public_key.raw_bytes();
    if *algorithm == ECDSA_WITH_SHA256 || *algorithm == EC_PUBLIC_KEY {
        let Ok(key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes) else {
            return false;
        };
        let Ok(sig) = p256::ecdsa::DerSignature::from_bytes(signature) else {
            return false;
        };
        return key.verify(message, &sig).is_ok();
    }
    if *algorithm == SHA256_WITH_RSA || *algorithm == RSA_ENCRYPTION {
        use rsa::pkcs1::DecodeRsaPublicKey as _;
        let Ok(key) = rsa::RsaPublicKey::from_pkcs1_der(key_bytes) else {
            return false;
        };
        let verifier = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key);
        let Ok(sig) = rsa::pkcs1v15::Signature::try_from(signature) else {
            return false;
        };
        return verifier.verify(message, &sig).is_ok();
    }
    false
}
