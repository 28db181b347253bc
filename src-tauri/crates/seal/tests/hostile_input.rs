//! The inspector runs on files from anywhere: damaged input must give errors, never panics.

mod common;

use common::*;

#[test]
fn damaged_copies_of_a_signed_record_never_panic_the_inspector() {
    let signed = signed_record();
    let stride = (signed.len() / 40).max(1);
    for at in (0..signed.len()).step_by(stride) {
        for value in [b'9', b'<', 0xff] {
            let mut copy = signed.clone();
            copy[at] = value;
            match greenlight_seal::inspect_pdf(&copy) {
                Ok(inspection) => {
                    for sig in &inspection.signatures {
                        let _ = sig.is_intact();
                    }
                }
                Err(err) => assert!(!err.code().is_empty() && !err.to_string().is_empty()),
            }
        }
    }
}
