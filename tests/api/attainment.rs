//! Targets and attainment through the public API, on the worked examples of the source articles
//! (Núi Thành 112 of 90, Quảng Nam 1,731 against 1,500, Trà Nú 8 of 4, Điện Bàn 105 of 100), and
//! what the figures must do around them: no target, a moved cell, allocation, "so far", quarters,
//! terms, ranking, and the history of a target.
//!
//! The tree is built through `createUnit`; the admissions, too many to take through the whole
//! pipeline one by one, are inserted as rows in batches (`Org::admit`). Every figure is then read
//! through `Unit.stats`.

pub(crate) mod org;

use serde_json::{Value, json};

use org::{Org, SET_TARGET, STATS, f, year};

/// Quảng Nam → Núi Thành → Tam Nghĩa and the Núi Thành township, two cells each.
pub(crate) async fn nui_thanh(org: &mut Org) {
    org.unit("QN", "Đảng bộ tỉnh Quảng Nam", "PROVINCE", None).await;
    org.unit("QN.NT", "Đảng bộ huyện Núi Thành", "RURAL_DISTRICT", Some("QN")).await;
    org.unit("QN.NT.TN", "Đảng bộ xã Tam Nghĩa", "COMMUNE", Some("QN.NT")).await;
    org.unit("QN.NT.TN.1", "Chi bộ thôn Đông Yên", "VILLAGE", Some("QN.NT.TN")).await;
    org.unit("QN.NT.TN.2", "Chi bộ thôn Tây Yên", "VILLAGE", Some("QN.NT.TN")).await;
    org.unit("QN.NT.TT", "Đảng bộ thị trấn Núi Thành", "TOWNSHIP", Some("QN.NT")).await;
    org.unit("QN.NT.TT.1", "Chi bộ khối phố 1", "VILLAGE", Some("QN.NT.TT")).await;
    org.unit("QN.NT.TT.2", "Chi bộ Công an thị trấn", "POLICE", Some("QN.NT.TT")).await;
}

#[tokio::test]
async fn nui_thanh_admitted_112_in_2021_against_an_assigned_90() {
    let mut org = Org::new().await;
    nui_thanh(&mut org).await;
    for (cell, n) in [("QN.NT.TN.1", 31), ("QN.NT.TN.2", 27), ("QN.NT.TT.1", 40), ("QN.NT.TT.2", 14)] {
        org.admit(cell, "2021-06-01", n, "Kinh").await;
    }
    // The days around the year do not count toward it.
    org.admit("QN.NT.TN.1", "2020-12-31", 5, "Kinh").await;
    org.admit("QN.NT.TT.1", "2022-01-01", 7, "Kinh").await;
    org.target("QN.NT", "ASSIGNED", year(2021), 90).await;
    org.target("QN.NT", "RESOLUTION", year(2021), 100).await;

    let stats = org.stats("QN.NT", year(2021)).await;
    assert_eq!(stats["admissions"], 112);
    assert_eq!(stats["assignedTarget"], 90);
    assert_eq!(stats["resolutionTarget"], 100);
    let attainment = &stats["attainment"];
    assert_eq!((attainment["target"].clone(), attainment["admissions"].clone()), (json!(90), json!(112)));
    assert_eq!(f(&attainment["ratio"]), 112.0 / 90.0);
    assert!((f(&attainment["percent"]) - 124.4444).abs() < 1e-3, "{attainment}");
    assert_eq!(attainment["difference"], 22);
    assert!((f(&attainment["exceededByPercent"]) - 24.4444).abs() < 1e-3, "{attainment}");
    let resolution = &stats["againstResolution"];
    assert_eq!(resolution["target"], 100);
    assert!((f(&resolution["percent"]) - 112.0).abs() < 1e-9, "{resolution}");
    assert_eq!(resolution["difference"], 12);
    assert_eq!(
        stats["period"],
        json!({ "label": "2021", "start": "2021-01-01", "end": "2021-12-31", "countedUntil": "2021-12-31",
                "elapsedShare": 1.0, "comparesToEnclosingYear": false,
                "targetPeriod": { "kind": "YEAR", "startYear": 2021, "endYear": 2021, "label": "2021" } })
    );
    // The subtree rolls up: the communes, a cell, the province (which has no target of its own).
    assert_eq!(org.admissions("QN.NT.TN", 2021).await, 58);
    assert_eq!(org.admissions("QN.NT.TT", 2021).await, 54);
    assert_eq!(org.admissions("QN.NT.TT.2", 2021).await, 14);
    let province = org.stats("QN", year(2021)).await;
    assert_eq!((province["admissions"].clone(), province["attainment"].clone()), (json!(112), Value::Null));
    assert_eq!(org.admissions("QN.NT", 2020).await, 5);
    assert_eq!(org.admissions("QN.NT", 2022).await, 7);
}

#[tokio::test]
async fn quang_nam_exceeded_its_2021_resolution_target_by_15_4_percent() {
    let mut org = Org::new().await;
    nui_thanh(&mut org).await;
    org.unit("QN.DB", "Đảng bộ thị xã Điện Bàn", "TOWN", Some("QN")).await;
    org.unit("QN.DB.DN", "Đảng bộ phường Điện Ngọc", "WARD", Some("QN.DB")).await;
    org.unit("QN.DB.DN.1", "Chi bộ khối phố Ngân Câu", "VILLAGE", Some("QN.DB.DN")).await;
    org.unit("QN.DB.DH", "Đảng bộ xã Điện Hòa", "COMMUNE", Some("QN.DB")).await;
    org.unit("QN.DB.DH.1", "Chi bộ thôn Bồ Mưng", "VILLAGE", Some("QN.DB.DH")).await;
    org.unit("QN.BTM", "Đảng bộ huyện Bắc Trà My", "RURAL_DISTRICT", Some("QN")).await;
    org.unit("QN.BTM.TN", "Đảng bộ xã Trà Nú", "COMMUNE", Some("QN.BTM")).await;
    org.unit("QN.BTM.TN.1", "Chi bộ thôn 1", "VILLAGE", Some("QN.BTM.TN")).await;
    org.unit("QN.BTM.TG", "Đảng bộ xã Trà Giác", "COMMUNE", Some("QN.BTM")).await;
    org.unit("QN.BTM.TG.1", "Chi bộ thôn 2", "VILLAGE", Some("QN.BTM.TG")).await;
    org.unit("QN.TK", "Đảng bộ thành phố Tam Kỳ", "PROVINCIAL_CITY", Some("QN")).await;
    org.unit("QN.TK.AM", "Đảng bộ phường An Mỹ", "WARD", Some("QN.TK")).await;
    org.unit("QN.TK.AM.1", "Chi bộ khối phố 3", "VILLAGE", Some("QN.TK.AM")).await;
    org.unit("QN.TK.AM.2", "Chi bộ Trường THPT Trần Cao Vân", "SCHOOL", Some("QN.TK.AM")).await;
    org.unit("QN.TB", "Đảng bộ huyện Thăng Bình", "RURAL_DISTRICT", Some("QN")).await;
    org.unit("QN.TB.BD", "Đảng bộ xã Bình Dương", "COMMUNE", Some("QN.TB")).await;
    org.unit("QN.TB.BD.1", "Chi bộ thôn Tú Ngọc", "VILLAGE", Some("QN.TB.BD")).await;
    org.unit("QN.TB.BM", "Đảng bộ xã Bình Minh", "COMMUNE", Some("QN.TB")).await;
    org.unit("QN.TB.BM.1", "Chi bộ thôn Hiệp Hưng", "VILLAGE", Some("QN.TB.BM")).await;
    // Another province's admissions stay out of Quảng Nam's subtree.
    org.unit("DB", "Đảng bộ tỉnh Điện Biên", "PROVINCE", None).await;
    org.unit("DB.TC", "Đảng bộ huyện Tủa Chùa", "RURAL_DISTRICT", Some("DB")).await;
    org.unit("DB.TC.XN", "Đảng bộ xã Xá Nhè", "COMMUNE", Some("DB.TC")).await;
    org.unit("DB.TC.XN.1", "Chi bộ bản San Súi", "VILLAGE", Some("DB.TC.XN")).await;

    let spread = [
        ("QN.NT.TN.1", "2021-03-02", 60),
        ("QN.NT.TT.2", "2021-11-19", 52),
        ("QN.DB.DN.1", "2021-01-01", 55),
        ("QN.DB.DH.1", "2021-12-31", 50),
        ("QN.BTM.TN.1", "2021-08-10", 8),
        ("QN.BTM.TG.1", "2021-08-10", 40),
        ("QN.TK.AM.1", "2021-05-19", 266),
        ("QN.TK.AM.2", "2021-09-02", 200),
        ("QN.TB.BD.1", "2021-02-03", 500),
        ("QN.TB.BM.1", "2021-07-27", 500),
    ];
    for (cell, on, n) in spread {
        org.admit(cell, on, n, "Kinh").await;
    }
    org.admit("QN.TB.BM.1", "2020-12-31", 3, "Kinh").await;
    org.admit("QN.TK.AM.1", "2022-01-01", 4, "Kinh").await;
    org.admit("DB.TC.XN.1", "2021-06-01", 9, "Mông").await;
    org.target("QN", "RESOLUTION", year(2021), 1_500).await;

    let stats = org.stats("QN", year(2021)).await;
    assert_eq!(stats["admissions"], 1731);
    assert_eq!(stats["resolutionTarget"], 1500);
    assert_eq!((stats["assignedTarget"].clone(), stats["attainment"].clone()), (Value::Null, Value::Null));
    let against = &stats["againstResolution"];
    assert_eq!(f(&against["ratio"]), 1731.0 / 1500.0);
    assert!((f(&against["exceededByPercent"]) - (1731.0 / 1500.0 * 100.0 - 100.0)).abs() < 1e-9, "{against}");
    assert!((f(&against["exceededByPercent"]) - 15.4).abs() < 1e-9, "{against}");
    assert!((f(&against["percent"]) - 115.4).abs() < 1e-9, "{against}");
    assert_eq!(against["difference"], 231);

    // Every level of the subtree rolls up into the province's figure.
    let districts = [("QN.NT", 112), ("QN.DB", 105), ("QN.BTM", 48), ("QN.TK", 466), ("QN.TB", 1000)];
    for (code, n) in districts {
        assert_eq!(org.admissions(code, 2021).await, n, "{code}");
    }
    assert_eq!(districts.iter().map(|(_, n)| n).sum::<i64>(), 1731);
    assert_eq!(org.admissions("QN.TK.AM", 2021).await, 466);
    assert_eq!(org.admissions("QN.BTM.TN", 2021).await, 8);
    assert_eq!(org.admissions("QN.TB.BM.1", 2021).await, 500);
    assert_eq!(org.admissions("DB", 2021).await, 9);
}

#[tokio::test]
async fn tra_nu_admitted_8_against_4_six_of_them_from_ethnic_minorities() {
    let mut org = Org::new().await;
    org.unit("QN", "Đảng bộ tỉnh Quảng Nam", "PROVINCE", None).await;
    org.unit("QN.BTM", "Đảng bộ huyện Bắc Trà My", "RURAL_DISTRICT", Some("QN")).await;
    org.unit("QN.BTM.TN", "Đảng bộ xã Trà Nú", "COMMUNE", Some("QN.BTM")).await;
    for i in 1..=5 {
        org.unit(&format!("QN.BTM.TN.{i}"), &format!("Chi bộ thôn {i}"), "VILLAGE", Some("QN.BTM.TN")).await;
    }
    org.unit("QN.BTM.TN.6", "Chi bộ Trường PTDTBT TH Trà Nú", "SCHOOL", Some("QN.BTM.TN")).await;
    org.admit("QN.BTM.TN.1", "2021-04-12", 3, "Xơ Đăng").await;
    org.admit("QN.BTM.TN.2", "2021-09-01", 2, "Xơ Đăng").await;
    org.admit("QN.BTM.TN.6", "2021-10-15", 1, "Co").await;
    org.admit("QN.BTM.TN.6", "2021-10-15", 2, "Kinh").await;
    org.target("QN.BTM.TN", "ASSIGNED", year(2021), 4).await;

    let stats = org.stats("QN.BTM.TN", year(2021)).await;
    assert_eq!(stats["admissions"], 8);
    assert_eq!(
        stats["attainment"],
        json!({ "target": 4, "admissions": 8, "ratio": 2.0, "percent": 200.0, "difference": 4, "exceededByPercent": 100.0 })
    );
    assert_eq!(stats["ethnicMinorityAdmissions"], 6);
    assert_eq!(
        stats["admissionsByEthnicity"],
        json!([{ "category": "Xơ Đăng", "count": 5 }, { "category": "Kinh", "count": 2 }, { "category": "Co", "count": 1 }])
    );
    let school = org.stats("QN.BTM.TN.6", year(2021)).await;
    assert_eq!(school["ethnicMinorityAdmissions"], 1);
    // The district above has no target of its own: its attainment is null, not 0 or infinite.
    let district = org.stats("QN.BTM", year(2021)).await;
    assert_eq!((district["admissions"].clone(), district["attainment"].clone()), (json!(8), Value::Null));
}

#[tokio::test]
async fn dien_ban_attained_105_percent_of_its_target_of_100() {
    let mut org = Org::new().await;
    org.unit("QN", "Đảng bộ tỉnh Quảng Nam", "PROVINCE", None).await;
    org.unit("QN.DB", "Đảng bộ thị xã Điện Bàn", "TOWN", Some("QN")).await;
    org.unit("QN.DB.DN", "Đảng bộ phường Điện Ngọc", "WARD", Some("QN.DB")).await;
    org.unit("QN.DB.DN.1", "Chi bộ khối phố Ngân Câu", "VILLAGE", Some("QN.DB.DN")).await;
    org.unit("QN.DB.DH", "Đảng bộ xã Điện Hòa", "COMMUNE", Some("QN.DB")).await;
    org.unit("QN.DB.DH.1", "Chi bộ Trường Tiểu học Điện Hòa", "SCHOOL", Some("QN.DB.DH")).await;
    org.admit("QN.DB.DN.1", "2021-05-05", 61, "Kinh").await;
    org.admit("QN.DB.DH.1", "2021-10-10", 44, "Kinh").await;
    org.target("QN.DB", "ASSIGNED", year(2021), 100).await;

    let attainment = org.stats("QN.DB", year(2021)).await["attainment"].clone();
    assert_eq!((attainment["target"].clone(), attainment["admissions"].clone()), (json!(100), json!(105)));
    assert_eq!(f(&attainment["ratio"]), 1.05);
    assert!((f(&attainment["percent"]) - 105.0).abs() < 1e-9, "{attainment}");
    assert!((f(&attainment["exceededByPercent"]) - 5.0).abs() < 1e-9, "{attainment}");
    assert_eq!(attainment["difference"], 5);
}

#[tokio::test]
async fn without_a_target_attainment_is_null_never_zero_or_infinite() {
    let mut org = Org::new().await;
    nui_thanh(&mut org).await;
    org.admit("QN.NT.TN.1", "2021-06-01", 12, "Kinh").await;

    let stats = org.stats("QN.NT", year(2021)).await;
    assert_eq!(stats["admissions"], 12);
    for field in ["assignedTarget", "resolutionTarget", "attainment", "againstResolution"] {
        assert_eq!(stats[field], Value::Null, "{field}");
    }
    assert_eq!(
        stats["allocation"],
        json!({ "ownTarget": null, "allocatedToChildren": 0, "unallocated": null, "childrenWithTarget": 0, "children": 2 })
    );
    // A target of 0 is a target, but attainment against it has no meaning.
    org.target("QN.NT", "ASSIGNED", year(2021), 0).await;
    let stats = org.stats("QN.NT", year(2021)).await;
    assert_eq!((stats["assignedTarget"].clone(), stats["attainment"].clone()), (json!(0), Value::Null));
    // A target of 2021 says nothing of 2022, and a range over two years has no target period.
    org.target("QN.NT", "ASSIGNED", year(2022), 50).await;
    let stats = org.stats("QN.NT", year(2021)).await;
    assert_eq!(stats["attainment"], Value::Null);
    let range = org.stats("QN.NT", json!({ "from": "2021-01-01", "to": "2022-06-30" })).await;
    assert_eq!(range["admissions"], 12);
    assert_eq!(range["period"]["targetPeriod"], Value::Null);
    assert_eq!((range["assignedTarget"].clone(), range["attainment"].clone()), (Value::Null, Value::Null));
    assert_eq!(range["allocation"], Value::Null);
}

#[tokio::test]
async fn a_moved_cell_leaves_its_past_admissions_with_its_old_district() {
    let mut org = Org::new().await;
    org.unit("QN", "Đảng bộ tỉnh Quảng Nam", "PROVINCE", None).await;
    org.unit("QN.A", "Đảng bộ huyện Núi Thành", "RURAL_DISTRICT", Some("QN")).await;
    org.unit("QN.A.X", "Đảng bộ xã Tam Nghĩa", "COMMUNE", Some("QN.A")).await;
    org.unit("QN.A.X.1", "Chi bộ thôn Đông Yên", "VILLAGE", Some("QN.A.X")).await;
    org.unit("QN.B", "Đảng bộ huyện Phú Ninh", "RURAL_DISTRICT", Some("QN")).await;
    org.unit("QN.B.Y", "Đảng bộ xã Tam Dân", "COMMUNE", Some("QN.B")).await;
    org.admit("QN.A.X.1", "2021-03-02", 3, "Kinh").await;
    org.admit("QN.A.X.1", "2021-12-31", 1, "Kinh").await;
    let moved = org
        .app
        .ok(
            "mutation($id: ID!, $to: ID!) { moveUnit(input: { id: $id, parentId: $to, effectiveOn: \"2022-01-01\" }) {
                unit { ancestors { code } } } }",
            json!({ "id": org.id("QN.A.X.1"), "to": org.id("QN.B.Y") }),
        )
        .await;
    assert_eq!(
        moved["moveUnit"]["unit"]["ancestors"],
        json!([{ "code": "QN" }, { "code": "QN.B" }, { "code": "QN.B.Y" }])
    );
    org.admit("QN.A.X.1", "2022-01-01", 2, "Kinh").await;

    assert_eq!(org.admissions("QN.A", 2021).await, 4);
    assert_eq!(org.admissions("QN.A.X", 2021).await, 4);
    assert_eq!(org.admissions("QN.B", 2021).await, 0);
    assert_eq!(org.admissions("QN.B.Y", 2021).await, 0);
    assert_eq!(org.admissions("QN.B", 2022).await, 2);
    assert_eq!(org.admissions("QN.A", 2022).await, 0);
    assert_eq!(org.admissions("QN.A.X.1", 2021).await, 4);
    assert_eq!(org.admissions("QN", 2021).await, 4);
    // Over the term each district keeps its own part.
    let term = json!({ "term": { "startYear": 2020, "endYear": 2025 } });
    assert_eq!(org.stats("QN.A", term.clone()).await["admissions"], 4);
    assert_eq!(org.stats("QN.B", term.clone()).await["admissions"], 2);
    assert_eq!(org.stats("QN", term).await["admissions"], 6);
}

#[tokio::test]
async fn allocation_shows_how_much_of_a_target_is_handed_down() {
    let mut org = Org::new().await;
    org.unit("QN", "Đảng bộ tỉnh Quảng Nam", "PROVINCE", None).await;
    org.unit("QN.NT", "Đảng bộ huyện Núi Thành", "RURAL_DISTRICT", Some("QN")).await;
    org.unit("QN.DB", "Đảng bộ thị xã Điện Bàn", "TOWN", Some("QN")).await;
    org.unit("QN.BTM", "Đảng bộ huyện Bắc Trà My", "RURAL_DISTRICT", Some("QN")).await;
    org.target("QN", "ASSIGNED", year(2021), 240).await;
    org.target("QN.NT", "ASSIGNED", year(2021), 100).await;
    org.target("QN.DB", "ASSIGNED", year(2021), 130).await;
    // Other kinds and periods do not count toward the 2021 assigned allocation.
    org.target("QN.BTM", "RESOLUTION", year(2021), 12).await;
    org.target("QN.BTM", "ASSIGNED", year(2022), 10).await;

    let stats = org.stats("QN", year(2021)).await;
    assert_eq!(
        stats["allocation"],
        json!({ "ownTarget": 240, "allocatedToChildren": 230, "unallocated": 10, "childrenWithTarget": 2, "children": 3 })
    );
    let resolution = org
        .app
        .ok(
            "{ unit(code: \"QN\") { stats(period: { year: 2021 }) { allocation(kind: RESOLUTION) {
                ownTarget allocatedToChildren unallocated childrenWithTarget children } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        resolution["unit"]["stats"]["allocation"],
        json!({ "ownTarget": null, "allocatedToChildren": 12, "unallocated": null, "childrenWithTarget": 1, "children": 3 })
    );
}

#[tokio::test]
async fn so_far_counts_up_to_as_of_and_quarters_compare_to_the_year() {
    let mut org = Org::new().await;
    nui_thanh(&mut org).await;
    org.admit("QN.NT.TN.1", "2021-02-10", 20, "Kinh").await;
    org.admit("QN.NT.TT.1", "2021-05-19", 44, "Kinh").await;
    org.admit("QN.NT.TT.2", "2021-07-02", 30, "Kinh").await;
    org.target("QN.NT", "ASSIGNED", year(2021), 240).await;

    let so_far = org.stats("QN.NT", json!({ "year": 2021, "asOf": "2021-07-01" })).await;
    assert_eq!(so_far["admissions"], 64);
    assert_eq!(so_far["attainment"]["target"], 240);
    assert!((f(&so_far["attainment"]["percent"]) - 26.67).abs() < 5e-3, "{so_far}");
    assert_eq!(f(&so_far["attainment"]["ratio"]), 64.0 / 240.0);
    assert_eq!(so_far["period"]["countedUntil"], "2021-07-01");
    assert_eq!(f(&so_far["period"]["elapsedShare"]), 182.0 / 365.0);
    assert!((f(&so_far["period"]["elapsedShare"]) - 0.5).abs() < 0.01);
    assert_eq!(so_far["period"]["comparesToEnclosingYear"], false);
    assert_eq!(org.admissions("QN.NT", 2021).await, 94);

    let q1 = org.stats("QN.NT", json!({ "year": 2021, "quarter": 1 })).await;
    assert_eq!(q1["admissions"], 20);
    assert_eq!(q1["assignedTarget"], 240);
    assert_eq!(f(&q1["attainment"]["ratio"]), 20.0 / 240.0);
    assert_eq!(q1["period"]["label"], "Q1 2021");
    assert_eq!(
        (q1["period"]["start"].clone(), q1["period"]["end"].clone()),
        (json!("2021-01-01"), json!("2021-03-31"))
    );
    assert_eq!(q1["period"]["comparesToEnclosingYear"], true);
    assert_eq!(q1["period"]["targetPeriod"]["label"], "2021");
    let h1 = org.stats("QN.NT", json!({ "year": 2021, "half": 1 })).await;
    assert_eq!((h1["admissions"].clone(), h1["period"]["comparesToEnclosingYear"].clone()), (json!(64), json!(true)));
    let july = org.stats("QN.NT", json!({ "year": 2021, "month": 7 })).await;
    assert_eq!((july["admissions"].clone(), july["period"]["label"].clone()), (json!(30), json!("07/2021")));
    // Before the period starts nothing is counted yet.
    let before = org.stats("QN.NT", json!({ "year": 2021, "asOf": "2020-12-31" })).await;
    assert_eq!((before["admissions"].clone(), before["period"]["elapsedShare"].clone()), (json!(0), json!(0.0)));
}

#[tokio::test]
async fn a_term_2020_2025_covers_the_years_2021_to_2025() {
    let mut org = Org::new().await;
    nui_thanh(&mut org).await;
    for (on, n) in [("2020-12-31", 7), ("2021-01-01", 100), ("2023-06-30", 150), ("2025-12-31", 95), ("2026-01-01", 9)]
    {
        org.admit("QN.NT.TN.1", on, n, "Kinh").await;
    }
    let term = json!({ "startYear": 2020, "endYear": 2025 });
    org.target("QN.NT", "ASSIGNED", json!({ "term": term }), 450).await;
    org.target("QN.NT", "ASSIGNED", year(2021), 90).await;

    let stats = org.stats("QN.NT", json!({ "term": term })).await;
    assert_eq!(stats["admissions"], 345);
    assert_eq!(
        stats["period"],
        json!({ "label": "2020–2025", "start": "2021-01-01", "end": "2025-12-31", "countedUntil": "2025-12-31",
                "elapsedShare": 1.0, "comparesToEnclosingYear": false,
                "targetPeriod": { "kind": "TERM", "startYear": 2020, "endYear": 2025, "label": "2020–2025" } })
    );
    assert_eq!(stats["attainment"]["target"], 450);
    assert_eq!(f(&stats["attainment"]["ratio"]), 345.0 / 450.0);
    assert_eq!(stats["attainment"]["difference"], -105);
    // The year compares to the year's target, not the term's.
    assert_eq!(org.stats("QN.NT", year(2021)).await["attainment"]["target"], 90);
}

const RANKING: &str = "query($code: String!, $period: PeriodInput!) { unit(code: $code) { stats(period: $period) {
    ranking { rank unit { code } attainment { percent } stats { admissions } } } } }";

#[tokio::test]
async fn districts_rank_by_attainment_ties_by_name_without_target_last() {
    let mut org = Org::new().await;
    org.unit("QN", "Đảng bộ tỉnh Quảng Nam", "PROVINCE", None).await;
    // (code, name, target, admissions, commune, cell)
    let districts: [(&str, &str, Option<i32>, usize); 8] = [
        ("QN.TB", "Thăng Bình", Some(10), 5),
        ("QN.NT", "Núi Thành", Some(90), 112),
        ("QN.DX", "Duy Xuyên", None, 30),
        ("QN.HD", "Hiệp Đức", Some(20), 10),
        ("QN.DB", "Điện Bàn", Some(100), 105),
        ("QN.TG", "Tây Giang", None, 0),
        ("QN.BTM", "Bắc Trà My", Some(4), 8),
        ("QN.AN", "An Lão", Some(0), 3),
    ];
    for (code, name, target, n) in districts {
        org.unit(code, name, "RURAL_DISTRICT", Some("QN")).await;
        let commune = format!("{code}.X");
        org.unit(&commune, &format!("Xã của {name}"), "COMMUNE", Some(code)).await;
        let cell = format!("{commune}.1");
        org.unit(&cell, &format!("Chi bộ của {name}"), "VILLAGE", Some(&commune)).await;
        org.admit(&cell, "2021-06-01", n, "Kinh").await;
        if let Some(target) = target {
            org.target(code, "ASSIGNED", year(2021), target).await;
        }
    }
    let data = org.app.ok(RANKING, json!({ "code": "QN", "period": year(2021) })).await;
    let rows = data["unit"]["stats"]["ranking"].as_array().unwrap().clone();
    let order: Vec<(i64, &str, Option<f64>, i64)> = rows
        .iter()
        .map(|r| {
            (
                r["rank"].as_i64().unwrap(),
                r["unit"]["code"].as_str().unwrap(),
                r["attainment"]["percent"].as_f64().map(|p| (p * 100.0).round() / 100.0),
                r["stats"]["admissions"].as_i64().unwrap(),
            )
        })
        .collect();
    // Bắc Trà My 200 %, Núi Thành 124.44 %, Điện Bàn 105 %; Hiệp Đức and Thăng Bình tie at 50 %
    // (name order); then those without a target (a target of 0 has no attainment), by name.
    assert_eq!(
        order,
        vec![
            (1, "QN.BTM", Some(200.0), 8),
            (2, "QN.NT", Some(124.44), 112),
            (3, "QN.DB", Some(105.0), 105),
            (4, "QN.HD", Some(50.0), 10),
            (5, "QN.TB", Some(50.0), 5),
            (6, "QN.AN", None, 3),
            (7, "QN.DX", None, 30),
            (8, "QN.TG", None, 0),
        ]
    );
}

const TARGETS: &str = "query($code: String!) { unit(code: $code) { targets {
    kind value period { kind label } history { operation oldValue newValue } } } }";

const CLEAR_TARGET: &str = "mutation($input: TargetRefInput!) { clearTarget(input: $input) {
    target { kind value history { operation oldValue newValue } } } }";

#[tokio::test]
async fn a_target_keeps_its_history_and_bad_input_is_refused() {
    let mut org = Org::new().await;
    nui_thanh(&mut org).await;
    org.target("QN.NT", "ASSIGNED", year(2021), 90).await;
    org.target("QN.NT", "ASSIGNED", year(2021), 95).await;
    let data = org.app.ok(TARGETS, json!({ "code": "QN.NT" })).await;
    assert_eq!(
        data["unit"]["targets"],
        json!([{ "kind": "ASSIGNED", "value": 95, "period": { "kind": "YEAR", "label": "2021" }, "history": [
            { "operation": "setTarget", "oldValue": null, "newValue": 90 },
            { "operation": "setTarget", "oldValue": 90, "newValue": 95 }] }])
    );
    let reference = json!({ "unitId": org.id("QN.NT"), "kind": "ASSIGNED", "year": 2021 });
    let cleared = org.app.ok(CLEAR_TARGET, json!({ "input": reference })).await;
    assert_eq!(
        cleared["clearTarget"]["target"]["history"],
        json!([{ "operation": "setTarget", "oldValue": null, "newValue": 90 },
               { "operation": "setTarget", "oldValue": 90, "newValue": 95 },
               { "operation": "clearTarget", "oldValue": 95, "newValue": null }])
    );
    assert_eq!(org.app.ok(TARGETS, json!({ "code": "QN.NT" })).await["unit"]["targets"], json!([]));
    assert_eq!(org.stats("QN.NT", year(2021)).await["assignedTarget"], Value::Null);
    assert_eq!(org.app.error_code(CLEAR_TARGET, json!({ "input": reference })).await, "NOT_FOUND");

    // A target needs exactly one of a year and a term, and a value in range.
    let both = json!({ "unitId": org.id("QN.NT"), "kind": "ASSIGNED", "year": 2021,
                       "term": { "startYear": 2020, "endYear": 2025 } });
    let error = org.app.error(SET_TARGET, json!({ "input": { "target": both, "value": 5 } })).await;
    assert_eq!(
        (error["extensions"]["code"].clone(), error["extensions"]["field"].clone()),
        (json!("VALIDATION"), json!("year"))
    );
    let negative = json!({ "unitId": org.id("QN.NT"), "kind": "ASSIGNED", "year": 2021 });
    let error = org.app.error(SET_TARGET, json!({ "input": { "target": negative, "value": -1 } })).await;
    assert_eq!(
        (error["extensions"]["code"].clone(), error["extensions"]["field"].clone()),
        (json!("VALIDATION"), json!("value"))
    );

    // A period is a year (narrowed at most once), a term, or a range.
    let period_error = |period: Value| {
        let app = &org.app;
        async move {
            let error = app.error(STATS, json!({ "code": "QN.NT", "period": period })).await;
            (error["extensions"]["code"].as_str().unwrap().to_owned(), error["extensions"]["field"].clone())
        }
    };
    let year_and_term = json!({ "year": 2021, "term": { "startYear": 2020, "endYear": 2025 } });
    assert_eq!(period_error(year_and_term).await, ("VALIDATION".to_owned(), json!("period")));
    assert_eq!(period_error(json!({ "year": 2021, "quarter": 5 })).await, ("VALIDATION".to_owned(), json!("quarter")));
    assert_eq!(
        period_error(json!({ "year": 2021, "half": 1, "quarter": 2 })).await,
        ("VALIDATION".to_owned(), json!("period"))
    );
    assert_eq!(
        period_error(json!({ "term": { "startYear": 2025, "endYear": 2020 } })).await,
        ("VALIDATION".to_owned(), json!("period"))
    );
    assert_eq!(
        period_error(json!({ "from": "2021-06-30", "to": "2021-01-01" })).await,
        ("VALIDATION".to_owned(), json!("to"))
    );
    assert_eq!(period_error(json!({})).await, ("VALIDATION".to_owned(), json!("period")));
}

/// A ranking lists the units that were below during its period: a district merged away in
/// mid-2025 is ranked for 2021 and 2025, and gone from 2026.
#[tokio::test]
async fn a_ranking_lists_the_units_of_its_period() {
    let app = crate::common::TestApp::new().await;
    let province = app.create_unit_on("P", "Tỉnh", "PROVINCE", "PROVINCE", None, "2000-01-01").await;
    let merged =
        app.create_unit_on("P.A", "Huyện A", "DISTRICT", "RURAL_DISTRICT", Some(&province), "2000-01-01").await;
    let target =
        app.create_unit_on("P.B", "Huyện B", "DISTRICT", "RURAL_DISTRICT", Some(&province), "2000-01-01").await;
    app.ok(
        "mutation($s: [ID!]!, $t: ID!) { mergeUnits(input: { sourceIds: $s, targetId: $t, effectiveOn: \"2025-07-01\" }) { target { code } } }",
        serde_json::json!({ "s": [merged], "t": target }),
    )
    .await;
    let ranked = |year: i32| {
        let app = &app;
        async move {
            let data = app
                .ok(
                    "query($year: Int!) { unit(code: \"P\") { stats(period: { year: $year }) { ranking { unit { code } } } } }",
                    serde_json::json!({ "year": year }),
                )
                .await;
            data["unit"]["stats"]["ranking"]
                .as_array()
                .map(|rows| {
                    rows.iter().filter_map(|r| r["unit"]["code"].as_str().map(str::to_owned)).collect::<Vec<_>>()
                })
                .unwrap_or_default()
        }
    };
    assert_eq!(ranked(2021).await, ["P.A", "P.B"]);
    assert_eq!(ranked(2025).await, ["P.A", "P.B"]);
    assert_eq!(ranked(2026).await, ["P.B"]);
}

/// `setTargets` sets many targets in one transaction, all or none; `targetHistory` keeps the
/// changes of a cleared target.
#[tokio::test]
async fn targets_are_set_in_bulk_and_their_history_outlives_a_clear() {
    let mut org = Org::new().await;
    nui_thanh(&mut org).await;
    let set_many =
        "mutation($inputs: [SetTargetInput!]!) { setTargets(inputs: $inputs) { kind value period { label } } }";
    let unit = org.id("QN.NT");
    let good = json!([
        { "target": { "unitId": unit, "kind": "ASSIGNED", "year": 2021 }, "value": 90 },
        { "target": { "unitId": unit, "kind": "RESOLUTION", "term": { "startYear": 2020, "endYear": 2025 } }, "value": 500 },
    ]);
    let data = org.app.ok(set_many, json!({ "inputs": good })).await;
    assert_eq!(
        data["setTargets"],
        json!([{ "kind": "ASSIGNED", "value": 90, "period": { "label": "2021" } },
               { "kind": "RESOLUTION", "value": 500, "period": { "label": "2020–2025" } }])
    );
    let one_bad = json!([
        { "target": { "unitId": unit, "kind": "ASSIGNED", "year": 2022 }, "value": 80 },
        { "target": { "unitId": unit, "kind": "ASSIGNED", "year": 2023 }, "value": -5 },
    ]);
    assert_eq!(org.app.error_code(set_many, json!({ "inputs": one_bad })).await, "VALIDATION");
    let reference = json!({ "unitId": unit, "kind": "ASSIGNED", "year": 2021 });
    org.app.ok(CLEAR_TARGET, json!({ "input": reference })).await;
    let data = org
        .app
        .ok(
            "{ unit(code: \"QN.NT\") { targets { value period { label } } targetHistory { operation kind periodLabel oldValue newValue } } }",
            json!({}),
        )
        .await;
    // 2022 was not set: the failing batch wrote nothing.
    assert_eq!(data["unit"]["targets"], json!([{ "value": 500, "period": { "label": "2020–2025" } }]));
    assert_eq!(
        data["unit"]["targetHistory"],
        json!([
            { "operation": "setTarget", "kind": "ASSIGNED", "periodLabel": "2021", "oldValue": null, "newValue": 90 },
            { "operation": "setTarget", "kind": "RESOLUTION", "periodLabel": "2020–2025", "oldValue": null, "newValue": 500 },
            { "operation": "clearTarget", "kind": "ASSIGNED", "periodLabel": "2021", "oldValue": 90, "newValue": null },
        ])
    );
}
