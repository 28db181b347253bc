//! The templates shipped inside the binary (`checklists/*.md`), loaded into the library on start.

use greenlight_store::BundledTemplate;

pub const BUNDLED_TEMPLATES: &[BundledTemplate] = &[
    BundledTemplate {
        file_name: "blue-green-release.md",
        source: include_str!("../checklists/blue-green-release.md"),
    },
    BundledTemplate {
        file_name: "database-migration.md",
        source: include_str!("../checklists/database-migration.md"),
    },
    BundledTemplate {
        file_name: "kubernetes-service-verification.md",
        source: include_str!("../checklists/kubernetes-service-verification.md"),
    },
    BundledTemplate {
        file_name: "production-readiness-review.md",
        source: include_str!("../checklists/production-readiness-review.md"),
    },
];
