"""Data-protection duties towards the people in the case files, one module per duty:
`registry` (which fields are personal), `holds`, `subject_access`, `erasure`, `retention`
and `leaks` (notification texts)."""
