//! Sealing exported records: PDF digital signatures, embedded record files, signing identities,
//! and checking all of them in a PDF from any machine. No Tauri, no store.
