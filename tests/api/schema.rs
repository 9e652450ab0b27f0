//! `schema.graphql` must be exactly the SDL the server prints. Regenerate it with
//! `cargo run -- schema > schema.graphql` (or run this test with `UPDATE_SCHEMA=1`).

#[test]
fn checked_in_schema_is_up_to_date() {
    let printed = ketnap::graphql::sdl();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    if std::env::var("UPDATE_SCHEMA").is_ok_and(|v| v == "1") {
        std::fs::write(path, &printed).unwrap_or_else(|err| panic!("cannot write {path}: {err}"));
    }
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        checked_in == printed,
        "schema.graphql is out of date: run `cargo run -- schema > schema.graphql` and commit it"
    );
}

#[test]
fn every_type_and_field_is_documented() {
    let sdl = ketnap::graphql::sdl();
    let mut undocumented = Vec::new();
    let mut in_description = false;
    let mut documented = false;
    let mut current_type = String::new();
    for line in sdl.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("\"\"\"") {
            // A block description opens (and may close on the same line).
            let closes_here = trimmed.len() > 3 && trimmed.ends_with("\"\"\"");
            if in_description || closes_here {
                in_description = false;
                documented = true;
            } else {
                in_description = true;
            }
            continue;
        }
        if in_description {
            continue;
        }
        if trimmed.starts_with('"') {
            documented = true;
            continue;
        }
        let opens_type = ["type ", "input ", "enum ", "interface ", "scalar ", "union "]
            .iter()
            .any(|keyword| trimmed.starts_with(keyword));
        let is_member = line.starts_with('\t') && !trimmed.starts_with(')') && !trimmed.is_empty();
        if trimmed.starts_with("schema ") {
            current_type = "QueryRoot".to_owned();
        }
        if opens_type {
            current_type = trimmed.split_whitespace().nth(1).unwrap_or_default().to_owned();
        }
        // Types async-graphql generates itself (connections, edges, page info, the roots).
        let generated = current_type.ends_with("Connection")
            || current_type.ends_with("Edge")
            || current_type == "PageInfo"
            || current_type == "QueryRoot"
            || current_type == "MutationRoot";
        let argument_line = is_member && line.starts_with("\t\t");
        if (opens_type || (is_member && !argument_line)) && !generated && !documented && trimmed != "}" {
            undocumented.push(format!("{current_type}: {trimmed}"));
        }
        if trimmed == "}" {
            current_type.clear();
        }
        documented = false;
    }
    assert!(undocumented.is_empty(), "undocumented in the SDL: {undocumented:#?}");
}
