//! A test certificate authority (rcgen): leaf certificates for localhost/127.0.0.1 that expire a
//! given number of whole days from now, client certificates, and the CA written to a PEM file
//! for `ca_file`.

use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, Utc};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, date_time_ymd,
};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    pub ca_der: CertificateDer<'static>,
    pub ca_file: PathBuf,
    _dir: tempfile::TempDir,
}

pub struct Leaf {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
    /// The leaf certificate and its key as PEM, for servers that read files (PostgreSQL).
    pub cert_pem: String,
    pub key_pem: String,
}

impl TestCa {
    pub fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, format!("Greenlight {name} CA"));
        params.distinguished_name = dn;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let ca_file = dir.path().join("ca.pem");
        std::fs::write(&ca_file, cert.pem()).unwrap();
        Self {
            issuer: Issuer::new(params, key),
            ca_der: cert.der().clone(),
            ca_file,
            _dir: dir,
        }
    }

    pub fn ca_file(&self) -> String {
        self.ca_file.display().to_string()
    }

    /// A leaf for `localhost` and `127.0.0.1` whose notAfter is midnight UTC `days + 1` days
    /// from today, so the whole days left are exactly `days`.
    pub fn leaf(&self, days: i64) -> Leaf {
        let mut params =
            CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, "localhost");
        params.distinguished_name = dn;
        let end = Utc::now().date_naive() + Duration::days(days + 1);
        params.not_after = date_time_ymd(end.year(), end.month() as u8, end.day() as u8);
        let start = Utc::now().date_naive() - Duration::days(30);
        params.not_before = date_time_ymd(start.year(), start.month() as u8, start.day() as u8);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        self.sign(params)
    }

    /// A client certificate for `common_name` (PostgreSQL's `cert` login matches it to the role),
    /// valid for a year.
    pub fn client_leaf(&self, common_name: &str) -> Leaf {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, common_name);
        params.distinguished_name = dn;
        let start = Utc::now().date_naive() - Duration::days(1);
        params.not_before = date_time_ymd(start.year(), start.month() as u8, start.day() as u8);
        let end = Utc::now().date_naive() + Duration::days(365);
        params.not_after = date_time_ymd(end.year(), end.month() as u8, end.day() as u8);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        self.sign(params)
    }

    fn sign(&self, params: CertificateParams) -> Leaf {
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        Leaf {
            chain: vec![cert.der().clone(), self.ca_der.clone()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        }
    }
}

/// A client certificate and its key written to files, as a probe spec names them.
pub struct ClientFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl ClientFiles {
    /// The `client_cert_file` and `client_key_file` lines of a probe spec.
    pub fn spec_lines(&self) -> String {
        format!(
            "client_cert_file = \"{}\"\nclient_key_file = \"{}\"",
            self.cert.display(),
            self.key.display()
        )
    }
}

impl Leaf {
    /// Writes the certificate and key into `dir` as `<name>.crt` and `<name>.key`, the key with
    /// permissions `key_mode` (0o600 is what libpq and Greenlight accept).
    #[cfg(unix)]
    pub fn write_client_files(&self, dir: &Path, name: &str, key_mode: u32) -> ClientFiles {
        use std::os::unix::fs::PermissionsExt;
        let files = ClientFiles {
            cert: dir.join(format!("{name}.crt")),
            key: dir.join(format!("{name}.key")),
        };
        std::fs::write(&files.cert, &self.cert_pem).unwrap();
        std::fs::write(&files.key, &self.key_pem).unwrap();
        std::fs::set_permissions(&files.key, std::fs::Permissions::from_mode(key_mode)).unwrap();
        files
    }
}
