//! The four templates shipped in `checklists/` import cleanly and use every main construct.

mod common;

use common::*;

const BUNDLED: [&str; 4] = [
    "blue-green-release.md",
    "database-migration.md",
    "kubernetes-service-verification.md",
    "production-readiness-review.md",
];

fn bundled(name: &str) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../checklists/");
    std::fs::read_to_string(format!("{path}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_bundled_template_imports_with_a_gate_and_signatures() {
    for name in BUNDLED {
        let source = bundled(name);
        let template = import(&source);
        assert!(!gates(&template).is_empty(), "{name}: no gate");
        assert!(
            gates(&template).iter().all(|gate| gate.authority.is_some()),
            "{name}"
        );
        assert!(
            signatures(&template).iter().any(|slot| slot.dated),
            "{name}: no dated signature"
        );
        let count = items(&template).len();
        assert!((25..=60).contains(&count), "{name}: {count} items");
        assert!(
            items(&template)
                .iter()
                .any(|item| !item.children.is_empty()),
            "{name}: no nesting"
        );
        assert!(
            items(&template)
                .iter()
                .any(|item| !item.expectations.is_empty()),
            "{name}: no expectations"
        );
        assert!(
            fields(&template).iter().any(|field| field.unit.is_some()),
            "{name}: no units"
        );
        let metadata: Vec<&str> = template
            .metadata_fields
            .iter()
            .map(|f| f.label.as_str())
            .collect();
        assert!(
            metadata.starts_with(&["Release", "Deployment Date"]),
            "{name}: {metadata:?}"
        );
        assert_eq!(template.report.warnings, Vec::<String>::new(), "{name}");
        assert_eq!(
            unaccounted_lines(&source, &template),
            Vec::<u32>::new(),
            "{name}"
        );
        assert_eq!(
            accounted_blanks(&template),
            blank_runs_outside_fences(&source),
            "{name}"
        );
    }
}
