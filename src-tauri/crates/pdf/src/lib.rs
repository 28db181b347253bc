//! Printable PDF checklists: blank templates and completed run records (work in progress).
