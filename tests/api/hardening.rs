//! Issue 15, hardened against an outside attacker: each module reproduces one way in that was
//! found open and shows it closed, over HTTP or through the schema as the server runs it.

mod tokens;
