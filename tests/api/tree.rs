//! The organisation tree: creation rules, lookups, search, pagination, and history through moves,
//! merges and dissolution.

use serde_json::{Value, json};

use crate::common::{TestApp, article_tree, rule_of};

const UNIT_BY_CODE: &str = "query($code: String!, $asOf: Date) {
  unit(code: $code) { code name level kind isDissolved
    parent { code } mergedInto { code }
    ancestors(asOf: $asOf) { code }
    children(first: 50) { totalCount nodes { code } }
    history { kind effectiveOn oldName newName oldParent { code } newParent { code } otherUnit { code } } } }";

const CREATE: &str = "mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id code } } }";

#[tokio::test]
async fn a_cell_shows_its_ancestor_path_and_each_unit_its_children() {
    let app = TestApp::new().await;
    article_tree(&app).await;
    let data = app.ok(UNIT_BY_CODE, json!({ "code": "DB.TC.XN.SS" })).await;
    let cell = &data["unit"];
    assert_eq!(cell["name"], "Chi bộ bản San Súi");
    assert_eq!(cell["level"], "CELL");
    assert_eq!(cell["kind"], "VILLAGE");
    assert_eq!(cell["parent"]["code"], "DB.TC.XN");
    assert_eq!(cell["ancestors"], json!([{ "code": "DB" }, { "code": "DB.TC" }, { "code": "DB.TC.XN" }]));

    let data = app
        .ok("{ provinces { totalCount nodes { code children { totalCount nodes { code name } } } } }", json!({}))
        .await;
    assert_eq!(data["provinces"]["totalCount"], 2);
    let dien_bien = &data["provinces"]["nodes"][0];
    assert_eq!(dien_bien["code"], "DB");
    assert_eq!(dien_bien["children"]["totalCount"], 2);
    // Ordered by name without diacritics: Mường Chà before Tủa Chùa.
    assert_eq!(dien_bien["children"]["nodes"][0]["name"], "Mường Chà");
    assert_eq!(dien_bien["children"]["nodes"][1]["name"], "Tủa Chùa");
    assert_eq!(data["provinces"]["nodes"][1]["children"]["nodes"], json!([{ "code": "QN.NT", "name": "Núi Thành" }]));
}

#[tokio::test]
async fn every_cell_under_a_province_is_one_descendants_query() {
    let app = TestApp::new().await;
    let tree = article_tree(&app).await;
    app.create_unit("DB.MC.HN.C1", "Chi bộ bản Hừa Ngài", "CELL", "VILLAGE", Some(&tree.hua_ngai)).await;
    let data = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Unit { descendants(level: CELL) { totalCount nodes { code } } } } }",
            json!({ "id": tree.dien_bien }),
        )
        .await;
    assert_eq!(data["node"]["descendants"]["totalCount"], 2);
    assert_eq!(data["node"]["descendants"]["nodes"], json!([{ "code": "DB.MC.HN.C1" }, { "code": "DB.TC.XN.SS" }]));
}

#[tokio::test]
async fn search_ignores_diacritics_and_case() {
    let app = TestApp::new().await;
    let tree = article_tree(&app).await;
    let search = "query($q: String!, $level: UnitLevel, $within: ID) {
        searchUnits(query: $q, level: $level, within: $within) { totalCount nodes { code } } }";
    let found = app.ok(search, json!({ "q": "tua chua" })).await;
    assert_eq!(found["searchUnits"]["nodes"], json!([{ "code": "DB.TC" }]));
    // Đ (U+0110) and Ð (U+00D0) both fold to d.
    for query in ["ĐIỆN BIÊN", "Ðiện biên", "dien bien"] {
        let found = app.ok(search, json!({ "q": query })).await;
        assert_eq!(found["searchUnits"]["nodes"], json!([{ "code": "DB" }]), "query {query}");
    }
    let found = app.ok(search, json!({ "q": "chi bo", "level": "CELL" })).await;
    assert_eq!(found["searchUnits"]["totalCount"], 1);
    let found = app.ok(search, json!({ "q": "a", "within": tree.quang_nam })).await;
    assert_eq!(found["searchUnits"]["nodes"], json!([{ "code": "QN.NT" }, { "code": "QN" }]));
    let found = app.ok(search, json!({ "q": "DB.TC" })).await;
    assert_eq!(found["searchUnits"]["nodes"], json!([{ "code": "DB.TC" }]));
    let found = app.ok(search, json!({ "q": "100%" })).await;
    assert_eq!(found["searchUnits"]["totalCount"], 0);
}

#[tokio::test]
async fn children_page_with_cursors_and_capped_page_size() {
    let app = TestApp::new().await;
    let province = app.create_unit("P", "Bắc Kạn", "PROVINCE", "PROVINCE", None).await;
    for (code, name) in [("P.1", "Ba Bể"), ("P.2", "Chợ Đồn"), ("P.3", "Chợ Mới"), ("P.4", "Na Rì"), ("P.5", "Pác Nặm")]
    {
        app.create_unit(code, name, "DISTRICT", "RURAL_DISTRICT", Some(&province)).await;
    }
    let page = "query($id: ID!, $first: Int, $after: String) { node(id: $id) { ... on Unit {
        children(first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
          nodes { code } } } } }";
    let first = app.ok(page, json!({ "id": province, "first": 2 })).await;
    let children = &first["node"]["children"];
    assert_eq!(children["totalCount"], 5);
    assert_eq!(children["nodes"], json!([{ "code": "P.1" }, { "code": "P.2" }]));
    assert_eq!(children["pageInfo"]["hasNextPage"], true);
    let cursor = children["pageInfo"]["endCursor"].clone();
    let second = app.ok(page, json!({ "id": province, "first": 2, "after": cursor })).await;
    assert_eq!(second["node"]["children"]["nodes"], json!([{ "code": "P.3" }, { "code": "P.4" }]));
    assert_eq!(second["node"]["children"]["pageInfo"]["hasPreviousPage"], true);

    let error = app.error(page, json!({ "id": province, "first": 101 })).await;
    assert_eq!(error["extensions"]["code"], "VALIDATION");
    assert_eq!(rule_of(&error), ("VALIDATION", "PAGE_SIZE"));
    let code = app.error_code(page, json!({ "id": province, "after": "garbage" })).await;
    assert_eq!(code, "VALIDATION");
}

#[tokio::test]
async fn errors_carry_stable_codes_and_write_nothing() {
    let app = TestApp::new().await;
    let tree = article_tree(&app).await;

    let error = app.error(UNIT_BY_CODE, json!({ "code": "NOPE" })).await;
    assert_eq!(error["extensions"]["code"], "NOT_FOUND");
    assert_eq!(error["message"], "no unit with code 'NOPE'");

    let code = app.error_code("{ node(id: \"not-an-id\") { id } }", json!({})).await;
    assert_eq!(code, "VALIDATION");

    let duplicate = json!({ "input": { "code": "DB.TC", "name": "Again", "level": "DISTRICT",
                                       "kind": "RURAL_DISTRICT", "parentId": tree.dien_bien } });
    assert_eq!(app.error_code(CREATE, duplicate).await, "CONFLICT");

    let cell_under_district = json!({ "input": { "code": "X1", "name": "Chi bộ", "level": "CELL",
                                                 "kind": "VILLAGE", "parentId": tree.tua_chua } });
    let error = app.error(CREATE, cell_under_district).await;
    assert_eq!(error["extensions"]["code"], "VALIDATION");
    assert_eq!(rule_of(&error), ("VALIDATION", "PARENT_LEVEL"));

    let wrong_kind = json!({ "input": { "code": "X2", "name": "Xã", "level": "COMMUNE", "kind": "VILLAGE",
                                        "parentId": tree.tua_chua } });
    assert_eq!(rule_of(&app.error(CREATE, wrong_kind).await), ("VALIDATION", "UNIT_KIND_FOR_LEVEL"));

    let bad_code = json!({ "input": { "code": "has space", "name": "Xã", "level": "COMMUNE", "kind": "COMMUNE",
                                      "parentId": tree.tua_chua } });
    assert_eq!(app.error(CREATE, bad_code).await["extensions"]["field"], "code");

    let bad_date = json!({ "input": { "code": "X3", "name": "Xã", "level": "COMMUNE", "kind": "COMMUNE",
                                      "parentId": tree.tua_chua, "establishedOn": "21/03/2021" } });
    assert_eq!(app.error_code(CREATE, bad_date).await, "VALIDATION");

    let orphan = json!({ "input": { "code": "X4", "name": "Huyện", "level": "DISTRICT", "kind": "RURAL_DISTRICT" } });
    assert_eq!(app.error(CREATE, orphan).await["extensions"]["field"], "parentId");

    // A district cannot move under a commune (level) nor a province under anything.
    let move_unit = "mutation($id: ID!, $to: ID!) { moveUnit(input: { id: $id, parentId: $to }) { unit { code } } }";
    let error = app.error(move_unit, json!({ "id": tree.tua_chua, "to": tree.hua_ngai })).await;
    assert_eq!(rule_of(&error), ("VALIDATION", "PARENT_LEVEL"));

    // A merge whose second source is invalid leaves the first untouched (one transaction).
    let merge = "mutation($sources: [ID!]!, $target: ID!) {
        mergeUnits(input: { sourceIds: $sources, targetId: $target }) { target { code } } }";
    let error = app.error(merge, json!({ "sources": [tree.xa_nhe, tree.tua_chua], "target": tree.hua_ngai })).await;
    assert_eq!(rule_of(&error), ("VALIDATION", "MERGE_LEVEL"));
    let data = app.ok(UNIT_BY_CODE, json!({ "code": "DB.TC.XN" })).await;
    assert_eq!(data["unit"]["isDissolved"], false);
    assert_eq!(data["unit"]["children"]["totalCount"], 1);
    assert_eq!(data["unit"]["history"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_move_keeps_the_old_ancestors_for_past_dates_and_refuses_cycles() {
    let app = TestApp::new().await;
    let tree = article_tree(&app).await;
    let move_unit = "mutation($id: ID!, $to: ID!, $on: Date) {
        moveUnit(input: { id: $id, parentId: $to, effectiveOn: $on }) { unit { code parent { code } } } }";
    let moved = app.ok(move_unit, json!({ "id": tree.xa_nhe, "to": tree.muong_cha, "on": "2022-01-01" })).await;
    assert_eq!(moved["moveUnit"]["unit"]["parent"]["code"], "DB.MC");

    let before = app.ok(UNIT_BY_CODE, json!({ "code": "DB.TC.XN.SS", "asOf": "2021-06-30" })).await;
    assert_eq!(before["unit"]["ancestors"], json!([{ "code": "DB" }, { "code": "DB.TC" }, { "code": "DB.TC.XN" }]));
    let after = app.ok(UNIT_BY_CODE, json!({ "code": "DB.TC.XN.SS", "asOf": "2022-01-01" })).await;
    assert_eq!(after["unit"]["ancestors"], json!([{ "code": "DB" }, { "code": "DB.MC" }, { "code": "DB.TC.XN" }]));
    let commune = app.ok(UNIT_BY_CODE, json!({ "code": "DB.TC.XN" })).await;
    let history = &commune["unit"]["history"];
    assert_eq!(history[1]["kind"], "MOVED");
    assert_eq!(history[1]["effectiveOn"], "2022-01-01");
    assert_eq!(history[1]["oldParent"]["code"], "DB.TC");
    assert_eq!(history[1]["newParent"]["code"], "DB.MC");

    // History is append-only: a move cannot be dated before the last change around the unit.
    let error = app.error(move_unit, json!({ "id": tree.xa_nhe, "to": tree.tua_chua, "on": "2021-12-31" })).await;
    assert_eq!(rule_of(&error), ("VALIDATION", "CHANGE_BEFORE_LAST_CHANGE"));

    // A commune directly under a province (the 2025 reform) — and no unit under its own subtree.
    let under_province =
        app.ok(move_unit, json!({ "id": tree.xa_nhe, "to": tree.dien_bien, "on": "2025-07-01" })).await;
    assert_eq!(under_province["moveUnit"]["unit"]["parent"]["code"], "DB");
    let now = app.ok(UNIT_BY_CODE, json!({ "code": "DB.TC.XN.SS" })).await;
    assert_eq!(now["unit"]["ancestors"], json!([{ "code": "DB" }, { "code": "DB.TC.XN" }]));
    let cycle = app.error(move_unit, json!({ "id": tree.dien_bien, "to": tree.xa_nhe })).await;
    assert_eq!(rule_of(&cycle), ("VALIDATION", "PARENT_LEVEL"));
}

#[tokio::test]
async fn merging_needs_units_of_one_level_and_a_target_outside_the_sources() {
    let app = TestApp::new().await;
    let province = app.create_unit("P", "Tỉnh", "PROVINCE", "PROVINCE", None).await;
    let district = app.create_unit("P.D", "Huyện", "DISTRICT", "RURAL_DISTRICT", Some(&province)).await;
    let commune = app.create_unit("P.D.C", "Xã", "COMMUNE", "COMMUNE", Some(&district)).await;
    let other = app.create_unit("P.D.C2", "Xã 2", "COMMUNE", "COMMUNE", Some(&district)).await;
    let merge = "mutation($sources: [ID!]!, $target: ID!) {
        mergeUnits(input: { sourceIds: $sources, targetId: $target }) { target { code } } }";
    let error = app.error(merge, json!({ "sources": [commune], "target": commune })).await;
    assert_eq!(error["extensions"]["field"], "targetId");
    let error = app.error(merge, json!({ "sources": [other, other], "target": commune })).await;
    assert_eq!(error["extensions"]["field"], "sourceIds");
    let error = app.error(merge, json!({ "sources": [district], "target": commune })).await;
    assert_eq!(rule_of(&error), ("VALIDATION", "MERGE_LEVEL"));
    let ok = app.ok(merge, json!({ "sources": [other], "target": commune })).await;
    assert_eq!(ok["mergeUnits"]["target"]["code"], "P.D.C");
    // A dissolved unit takes part in nothing more.
    let error = app.error(merge, json!({ "sources": [other], "target": commune })).await;
    assert_eq!(rule_of(&error), ("VALIDATION", "UNIT_DISSOLVED"));
}

#[tokio::test]
async fn a_merge_moves_children_dissolves_sources_and_keeps_their_past() {
    let app = TestApp::new().await;
    let tree = article_tree(&app).await;
    let merge = "mutation($input: MergeUnitsInput!) { mergeUnits(input: $input) {
        target { code name children { nodes { code } } }
        sources { code isDissolved dissolvedOn mergedInto { code } } } }";
    let data = app
        .ok(
            merge,
            json!({ "input": { "sourceIds": [tree.tua_chua, tree.muong_cha], "effectiveOn": "2025-07-01",
                "newUnit": { "code": "DB.NEW", "name": "Tủa Chùa – Mường Chà", "level": "DISTRICT",
                             "kind": "RURAL_DISTRICT", "parentId": tree.dien_bien, "establishedOn": "2025-07-01" } } }),
        )
        .await;
    let result = &data["mergeUnits"];
    assert_eq!(result["target"]["code"], "DB.NEW");
    assert_eq!(result["target"]["children"]["nodes"], json!([{ "code": "DB.MC.HN" }, { "code": "DB.TC.XN" }]));
    assert_eq!(result["sources"][0]["isDissolved"], true);
    assert_eq!(result["sources"][0]["dissolvedOn"], "2025-07-01");
    assert_eq!(result["sources"][1]["mergedInto"]["code"], "DB.NEW");

    let past = app.ok(UNIT_BY_CODE, json!({ "code": "DB.TC.XN.SS", "asOf": "2021-03-02" })).await;
    assert_eq!(past["unit"]["ancestors"], json!([{ "code": "DB" }, { "code": "DB.TC" }, { "code": "DB.TC.XN" }]));
    let now = app.ok(UNIT_BY_CODE, json!({ "code": "DB.TC.XN.SS" })).await;
    assert_eq!(now["unit"]["ancestors"], json!([{ "code": "DB" }, { "code": "DB.NEW" }, { "code": "DB.TC.XN" }]));
    // The dissolved source hangs under the target, so anything still recorded in it rolls up there.
    let source = app.ok(UNIT_BY_CODE, json!({ "code": "DB.TC" })).await;
    assert_eq!(source["unit"]["ancestors"], json!([{ "code": "DB" }, { "code": "DB.NEW" }]));
    assert_eq!(source["unit"]["history"][1]["kind"], "MERGED_INTO");
    let province = app.ok(UNIT_BY_CODE, json!({ "code": "DB" })).await;
    assert_eq!(province["unit"]["children"]["nodes"], json!([{ "code": "DB.NEW" }]));
}

#[tokio::test]
async fn dissolving_needs_an_empty_unit_and_renaming_keeps_the_old_name() {
    let app = TestApp::new().await;
    let tree = article_tree(&app).await;
    let dissolve = "mutation($id: ID!) { dissolveUnit(input: { id: $id, effectiveOn: \"2024-01-01\" }) {
        unit { isDissolved dissolvedOn } } }";
    let error = app.error(dissolve, json!({ "id": tree.xa_nhe })).await;
    assert_eq!(rule_of(&error), ("VALIDATION", "UNIT_NOT_EMPTY"));
    let data = app.ok(dissolve, json!({ "id": tree.san_sui })).await;
    assert_eq!(data["dissolveUnit"]["unit"], json!({ "isDissolved": true, "dissolvedOn": "2024-01-01" }));
    let again = app.error(dissolve, json!({ "id": tree.san_sui })).await;
    assert_eq!(rule_of(&again), ("VALIDATION", "UNIT_DISSOLVED"));
    let commune = app.ok(UNIT_BY_CODE, json!({ "code": "DB.TC.XN" })).await;
    assert_eq!(commune["unit"]["children"]["totalCount"], 0);

    let rename =
        "mutation($id: ID!) { renameUnit(input: { id: $id, name: \"Xã Xá Nhè mới\", effectiveOn: \"2024-02-01\" }) {
        unit { name } } }";
    let data = app.ok(rename, json!({ "id": tree.xa_nhe })).await;
    assert_eq!(data["renameUnit"]["unit"]["name"], "Xã Xá Nhè mới");
    let commune = app.ok(UNIT_BY_CODE, json!({ "code": "DB.TC.XN" })).await;
    let renamed = &commune["unit"]["history"][1];
    assert_eq!(renamed["kind"], "RENAMED");
    assert_eq!(renamed["oldName"], "Xá Nhè");
    assert_eq!(renamed["newName"], "Xã Xá Nhè mới");
}

#[tokio::test]
async fn node_and_nodes_find_units_by_global_id() {
    let app = TestApp::new().await;
    let tree = article_tree(&app).await;
    let data = app
        .ok(
            "query($id: ID!, $ids: [ID!]!) { node(id: $id) { id ... on Unit { code } } nodes(ids: $ids) { ... on Unit { code } } }",
            json!({ "id": tree.nui_thanh, "ids": [tree.quang_nam, tree.san_sui] }),
        )
        .await;
    assert_eq!(data["node"]["id"], tree.nui_thanh.as_str());
    assert_eq!(data["node"]["code"], "QN.NT");
    assert_eq!(data["nodes"], json!([{ "code": "QN" }, { "code": "DB.TC.XN.SS" }]));
    let missing = app.ok("{ node(id: \"VW5pdDo5OTk5\") { id } }", json!({})).await;
    assert_eq!(missing["node"], serde_json::Value::Null);
}

#[tokio::test]
async fn a_second_mutation_in_a_request_sees_the_first_ones_change() {
    // Loaders remember within a request, but every write makes them forget: the second payload's
    // history must hold both renames, not the one the first payload loaded.
    let app = TestApp::new().await;
    let tree = article_tree(&app).await;
    let data = app
        .ok(
            "mutation($id: ID!) {
               first: renameUnit(input: { id: $id, name: \"Xã Xá Nhè\", effectiveOn: \"2024-01-01\" }) {
                 unit { history { kind newName } } }
               second: renameUnit(input: { id: $id, name: \"Xã Xá Nhè mới\", effectiveOn: \"2025-01-01\" }) {
                 unit { history { kind newName } } } }",
            json!({ "id": tree.xa_nhe }),
        )
        .await;
    let renames = |payload: &Value| {
        payload["unit"]["history"].as_array().unwrap().iter().filter(|e| e["kind"] == "RENAMED").count()
    };
    assert_eq!((renames(&data["first"]), renames(&data["second"])), (1, 2), "{data:#}");
}

/// Every field a unit row holds, as a list shows it and as the unit asked alone shows it.
const UNIT_FIELDS: &str = "id code name level kind establishedOn dissolvedOn isDissolved mergedInto { code }
  parent { code } createdAt updatedAt";

/// The lists read their units by column position (`domain::unit_row`), the unit asked alone
/// through the entity: each row of every list equals the unit asked alone, every field, merged
/// and dissolved units (whose optional columns are set) included.
#[tokio::test]
async fn every_list_reads_each_unit_as_the_unit_alone_reads_it() {
    let app = TestApp::new().await;
    let tree = article_tree(&app).await;
    let merge = "mutation($input: MergeUnitsInput!) { mergeUnits(input: $input) { target { code } } }";
    app.ok(
        merge,
        json!({ "input": { "sourceIds": [tree.xa_nhe], "targetId": tree.hua_ngai, "effectiveOn": "2025-07-01" } }),
    )
    .await;
    let lists = format!(
        "{{ provinces(first: 5, includeDissolved: true) {{ nodes {{ {UNIT_FIELDS}
             children(first: 5, includeDissolved: true) {{ nodes {{ {UNIT_FIELDS}
               children(first: 5, includeDissolved: true) {{ nodes {{ {UNIT_FIELDS} }} }} }} }} }} }}
           unit(code: \"DB.MC.HN\") {{ children(first: 5, includeDissolved: true) {{ nodes {{ {UNIT_FIELDS} }} }} }}
           searchUnits(query: \"a\", first: 20) {{ nodes {{ {UNIT_FIELDS} }} }} }}"
    );
    let data = app.ok(&lists, json!({})).await;
    let mut rows: Vec<&Value> = Vec::new();
    for province in data["provinces"]["nodes"].as_array().unwrap() {
        rows.push(province);
        for district in province["children"]["nodes"].as_array().unwrap() {
            rows.push(district);
            rows.extend(district["children"]["nodes"].as_array().unwrap());
        }
    }
    rows.extend(data["unit"]["children"]["nodes"].as_array().unwrap());
    rows.extend(data["searchUnits"]["nodes"].as_array().unwrap());
    let alone = format!("query($id: ID!) {{ node(id: $id) {{ ... on Unit {{ {UNIT_FIELDS} }} }} }}");
    let mut dissolved = 0;
    for row in rows {
        let mut row = row.clone();
        row.as_object_mut().unwrap().remove("children");
        let unit = app.ok(&alone, json!({ "id": row["id"] })).await;
        assert_eq!(row, unit["node"], "a list's row against the unit alone");
        dissolved += usize::from(row["isDissolved"] == true);
    }
    // Xá Nhè, merged into Hừa Ngài, is among Hừa Ngài's children from the merge on.
    assert!(dissolved >= 1, "{data:#}");
}
