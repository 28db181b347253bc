//! RFC 3161 trusted time: the TimeStampReq to send to a time-stamp authority (the caller does the
//! HTTP POST), turning its reply into a token, and reading the time out of a token.

use chrono::{DateTime, Utc};
use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_tsp::{MessageImprint, TimeStampReq, TimeStampResp, TspVersion, TstInfo};

use crate::SealError;
use crate::cms::SHA256;

const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");

fn bad(e: impl std::fmt::Display) -> SealError {
    SealError::InvalidTimestamp(e.to_string())
}

/// A DER TimeStampReq (RFC 3161) for a SHA-256 imprint of `signature_value` (the CMS
/// SignerInfo signature), asking the authority to include its certificate.
pub fn timestamp_request(signature_value: &[u8]) -> Result<Vec<u8>, SealError> {
    let request = TimeStampReq {
        version: TspVersion::V1,
        message_imprint: MessageImprint {
            hash_algorithm: AlgorithmIdentifierOwned {
                oid: SHA256,
                parameters: None,
            },
            hashed_message: OctetString::new(Sha256::digest(signature_value).to_vec())
                .map_err(bad)?,
        },
        req_policy: None,
        nonce: None,
        cert_req: true,
        extensions: None,
    };
    request.to_der().map_err(bad)
}

/// Accepts either a whole TimeStampResp (as a TSA returns it over HTTP) or a bare token, and
/// returns the DER token (a CMS ContentInfo). A rejected request is an error.
pub(crate) fn token_from_reply(reply: &[u8]) -> Result<Vec<u8>, SealError> {
    if let Ok(response) = TimeStampResp::from_der(reply) {
        let status = response.status.status as u8;
        if status > 1 {
            return Err(bad(format!(
                "the time-stamp authority refused the request (status {status})"
            )));
        }
        let token = response
            .time_stamp_token
            .ok_or_else(|| bad("the time-stamp reply holds no token"))?;
        return token.to_der().map_err(bad);
    }
    let token = ContentInfo::from_der(reply).map_err(bad)?;
    tst_info(&token)?;
    token.to_der().map_err(bad)
}

fn tst_info(token: &ContentInfo) -> Result<TstInfo, SealError> {
    let data = token.content.decode_as::<SignedData>().map_err(bad)?;
    if data.encap_content_info.econtent_type != ID_CT_TST_INFO {
        return Err(bad("the token does not hold TSTInfo"));
    }
    let content = data
        .encap_content_info
        .econtent
        .ok_or_else(|| bad("the token holds no TSTInfo"))?;
    let octets = content.decode_as::<OctetString>().map_err(bad)?;
    TstInfo::from_der(octets.as_bytes()).map_err(bad)
}

/// The time in a token, and whether its imprint is the SHA-256 of `signature_value`.
pub(crate) fn token_time(
    token_der: &[u8],
    signature_value: &[u8],
) -> Result<(DateTime<Utc>, bool), SealError> {
    let token = ContentInfo::from_der(token_der).map_err(bad)?;
    let info = tst_info(&token)?;
    let seconds = i64::try_from(info.gen_time.to_unix_duration().as_secs()).map_err(bad)?;
    let time = DateTime::from_timestamp(seconds, 0).ok_or_else(|| bad("time out of range"))?;
    let imprint = &info.message_imprint;
    let matches = crate::cms::digest(&imprint.hash_algorithm.oid, &[signature_value])
        .is_some_and(|d| d == imprint.hashed_message.as_bytes());
    Ok((time, matches))
}
