//! A throw-away RFC 3161 time-stamp authority for tests: a certificate made for time-stamping
//! and an `openssl ts` configuration using it; queries are answered by `openssl ts -reply`.
//! Shared by this crate's tests and the app's (`tests/timestamps.rs` includes it by path).

use std::path::{Path, PathBuf};
use std::process::Command;

fn openssl(args: &[&str]) -> bool {
    Command::new("openssl")
        .args(args)
        .output()
        .is_ok_and(|out| out.status.success())
}

/// Makes the authority in `dir`; its configuration's path, or `None` without openssl.
pub fn test_tsa(dir: &Path) -> Option<PathBuf> {
    let d = dir.display();
    let made = openssl(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        &format!("{d}/tsa.key"),
        "-out",
        &format!("{d}/tsa.crt"),
        "-days",
        "30",
        "-subj",
        "/CN=Greenlight Test TSA",
        "-addext",
        "extendedKeyUsage=critical,timeStamping",
        "-addext",
        "keyUsage=critical,digitalSignature",
    ]);
    if !made {
        return None;
    }
    std::fs::write(dir.join("serial"), "01\n").ok()?;
    let config = format!(
        "[ tsa ]\ndefault_tsa = tsa_config1\n\n[ tsa_config1 ]\ndir = {d}\nserial = $dir/serial\n\
         crypto_device = builtin\nsigner_cert = $dir/tsa.crt\nsigner_key = $dir/tsa.key\n\
         signer_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256, sha384, sha512\n\
         accuracy = secs:1\nordering = yes\ntsa_name = yes\ness_cert_id_chain = no\n\
         ess_cert_id_alg = sha256\n"
    );
    let path = dir.join("tsa.cnf");
    std::fs::write(&path, config).ok()?;
    Some(path)
}

/// The authority's reply (a TimeStampResp) to `request`, or `None` when openssl refuses it.
pub fn tsa_reply(dir: &Path, config: &Path, request: &[u8], name: &str) -> Option<Vec<u8>> {
    let query = dir.join(format!("{name}.tsq"));
    let reply = dir.join(format!("{name}.tsr"));
    std::fs::write(&query, request).ok()?;
    let ok = openssl(&[
        "ts",
        "-reply",
        "-config",
        config.to_str()?,
        "-queryfile",
        query.to_str()?,
        "-out",
        reply.to_str()?,
    ]);
    ok.then(|| std::fs::read(&reply).ok()).flatten()
}
