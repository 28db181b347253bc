//! Company certificates: opening a PKCS#12 (.p12/.pfx) file into a [`SigningIdentity`] (RSA or
//! ECDSA P-256 key).

use p12_keystore::{KeyStore, Pkcs12ImportPolicy};
use zeroize::Zeroizing;

use crate::{SealError, SigningIdentity};

/// Opens a PKCS#12 file with its password and pairs its private key with the certificate that
/// belongs to it (other certificates in the file, e.g. the issuing chain, are ignored).
pub fn identity_from_pkcs12(bytes: &[u8], password: &str) -> Result<SigningIdentity, SealError> {
    let store = KeyStore::from_pkcs12(bytes, password, Pkcs12ImportPolicy::Relaxed)
        .map_err(|e| SealError::Pkcs12(format!("wrong password or damaged file ({e})")))?;
    let (_, chain) = store
        .private_key_chain()
        .ok_or_else(|| SealError::Pkcs12("the file holds no private key".into()))?;
    let key = Zeroizing::new(chain.key().as_der().to_vec());
    let mut last_error = SealError::Pkcs12("the file holds no certificate for its key".into());
    for cert in chain.certs() {
        match SigningIdentity::from_pkcs8_and_cert(key.clone(), cert.as_der().to_vec()) {
            Ok(identity) => return Ok(identity),
            Err(SealError::KeyMismatch) => {}
            Err(e) => last_error = e,
        }
    }
    Err(last_error)
}
