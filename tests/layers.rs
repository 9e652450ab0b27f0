//! The layering check: every path a file of `src/` names (`use crate::…`, `crate::…` in code,
//! `super::…`, `self::…`, a child module's name) is resolved to the file that defines the module,
//! and the check fails on any arrow from a lower layer to a higher one, and on any cycle between
//! files (two files that import each other, or a longer ring). Run it alone with
//! `cargo test --test layers`.
//!
//! Doc comments, string literals and test modules (`#[cfg(test)] mod …` at a file's end) are left
//! out: a comment that names a module is no dependency, and tests may reach anywhere.

#[path = "layers/source.rs"]
mod source;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use source::{children, paths, strip, without_tests};

/// The layers, lowest first: a file may name files of its own layer or of any lower one. The
/// first segment of a module path decides its layer.
const LAYERS: &[(&str, &[&str])] = &[
    ("ground floor", &["error", "ids", "rules", "calendar", "sql", "db", "entity"]),
    ("domain", &["domain"]),
    ("stats and auth", &["stats", "auth"]),
    ("cache and tools", &["cache", "generate", "import", "demo"]),
    ("graphql", &["graphql"]),
    ("reports", &["reports"]),
    ("http and config", &["http", "config"]),
    ("command line", &["cli", "main"]),
];

fn layer_of(module: &[String]) -> Option<usize> {
    let first = module.first()?;
    LAYERS.iter().position(|(_, members)| members.contains(&first.as_str()))
}

/// The crate's source files by module path (`["stats", "rollups"]` for `src/stats/rollups.rs`).
fn modules(src: &Path) -> BTreeMap<Vec<String>, String> {
    let mut found = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|ext| ext != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).unwrap_or(&path).with_extension("");
            let mut module: Vec<String> =
                relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            if module.last().is_some_and(|last| last == "mod" || last == "lib") {
                module.pop();
            }
            found.insert(module, path.to_string_lossy().into_owned());
        }
    }
    found
}

/// The file a path named in `from` (a module path) leads to: the longest prefix that is a file.
fn resolve(
    path: &[String],
    from: &[String],
    declared: &BTreeSet<String>,
    files: &BTreeMap<Vec<String>, String>,
) -> Option<Vec<String>> {
    let mut absolute: Vec<String> = match path.first()?.as_str() {
        "crate" | "ketnap" => Vec::new(),
        "self" => from.to_vec(),
        "super" => from.to_vec(),
        name if declared.contains(name) => from.to_vec(),
        _ => return None,
    };
    let mut rest = match path[0].as_str() {
        "crate" | "ketnap" | "self" => &path[1..],
        _ => path,
    };
    while rest.first().is_some_and(|s| s == "super") {
        absolute.pop();
        rest = &rest[1..];
    }
    absolute.extend(rest.iter().cloned());
    (0..=absolute.len()).rev().map(|n| absolute[..n].to_vec()).find(|prefix| files.contains_key(prefix))
}

/// Each file's module path and the module paths of the files it names (itself left out).
fn graph(src: &Path) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let files = modules(src);
    let mut edges = BTreeMap::new();
    for (module, file) in &files {
        let source = fs::read_to_string(file).unwrap_or_default();
        let code = strip(without_tests(&source));
        let declared = children(&code);
        let mut named = BTreeSet::new();
        for path in paths(&code) {
            if let Some(target) = resolve(&path, module, &declared, &files)
                && target != *module
                && !target.is_empty()
            {
                named.insert(target);
            }
        }
        edges.insert(module.clone(), named);
    }
    edges
}

/// The rings of files (strongly connected components of more than one file), by Tarjan's algorithm.
fn cycles(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    struct State<'a> {
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        rings: Vec<Vec<Vec<String>>>,
    }
    fn visit<'a>(state: &mut State<'a>, node: &'a Vec<String>) {
        let n = state.index.len();
        state.index.insert(node, n);
        state.low.insert(node, n);
        state.stack.push(node);
        for next in state.edges.get(node).into_iter().flatten() {
            if !state.index.contains_key(next) {
                visit(state, next);
                let low = state.low[next].min(state.low[node]);
                state.low.insert(node, low);
            } else if state.stack.contains(&next) {
                let low = state.index[next].min(state.low[node]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut ring = Vec::new();
            while let Some(top) = state.stack.pop() {
                ring.push(top.clone());
                if top == node {
                    break;
                }
            }
            if ring.len() > 1 {
                ring.sort();
                state.rings.push(ring);
            }
        }
    }
    let mut state = State { edges, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), rings: Vec::new() };
    for node in edges.keys() {
        if !state.index.contains_key(node) {
            visit(&mut state, node);
        }
    }
    state.rings
}

fn name(module: &[String]) -> String {
    if module.is_empty() { "crate".into() } else { module.join("::") }
}

#[test]
fn no_arrow_runs_from_a_lower_layer_to_a_higher_one() {
    let edges = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(edges.len() > 100, "the check read only {} files", edges.len());
    let mut wrong = Vec::new();
    for (from, targets) in &edges {
        let Some(from_layer) = layer_of(from) else {
            assert!(from.is_empty(), "{} is in no layer: add it to LAYERS", name(from));
            continue;
        };
        for to in targets {
            let to_layer = layer_of(to).unwrap_or(0);
            if to_layer > from_layer {
                wrong.push(format!(
                    "{} ({}) -> {} ({})",
                    name(from),
                    LAYERS[from_layer].0,
                    name(to),
                    LAYERS[to_layer].0
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "imports from a lower layer to a higher one:\n{}", wrong.join("\n"));
}

#[test]
fn no_two_files_import_each_other() {
    let edges = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let mut pairs = Vec::new();
    for (from, targets) in &edges {
        for to in targets {
            if from < to && edges.get(to).is_some_and(|back| back.contains(from)) {
                pairs.push(format!("{} <-> {}", name(from), name(to)));
            }
        }
    }
    assert!(pairs.is_empty(), "files that import each other:\n{}", pairs.join("\n"));
}

#[test]
fn no_ring_of_files() {
    let edges = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let rings: Vec<String> =
        cycles(&edges).iter().map(|ring| ring.iter().map(|m| name(m)).collect::<Vec<_>>().join(", ")).collect();
    assert!(rings.is_empty(), "rings of files that import each other in turn:\n{}", rings.join("\n"));
}

#[test]
fn reads_use_trees_code_paths_and_relative_modules() {
    let code = strip(
        "use crate::a::{self, b::{C, D as E}, f};\n// use crate::commented::out;\nlet s = \"crate::in_string::x\";\n\
         let n = crate::g::h(1); super::i::J; let c = '\\''; fn l<'a>(x: &'a str) {} child::k();",
    );
    let found = paths(&code);
    let text: Vec<String> = found.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        text,
        ["crate::a", "crate::a::b::C", "crate::a::b::D", "crate::a::f", "crate::g::h", "super::i::J", "child::k"]
    );
    let files: BTreeMap<Vec<String>, String> = [vec!["x".to_string()], vec!["x".into(), "y".into()], vec!["z".into()]]
        .into_iter()
        .map(|m| (m, String::new()))
        .collect();
    let declared: BTreeSet<String> = ["y".to_string()].into();
    let from = vec!["x".to_string()];
    let seg = |s: &str| s.split("::").map(String::from).collect::<Vec<_>>();
    assert_eq!(resolve(&seg("y::Thing"), &from, &declared, &files), Some(seg("x::y")));
    assert_eq!(resolve(&seg("crate::z::W"), &from, &declared, &files), Some(seg("z")));
    assert_eq!(resolve(&seg("super::z"), &seg("x::y"), &BTreeSet::new(), &files), Some(seg("x")));
    assert_eq!(resolve(&seg("sea_orm::Value"), &from, &declared, &files), None);
    let ring: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> =
        [(seg("a"), [seg("b")].into()), (seg("b"), [seg("c")].into()), (seg("c"), [seg("a")].into())].into();
    assert_eq!(cycles(&ring), vec![vec![seg("a"), seg("b"), seg("c")]]);
}

#[test]
fn a_test_module_at_the_end_is_left_out() {
    let source = "use crate::a;\n#[cfg(test)]\nmod tests {\n use crate::b;\n}\n";
    assert_eq!(paths(&strip(without_tests(source))), vec![vec!["crate".to_string(), "a".into()]]);
}
