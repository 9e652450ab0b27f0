import json, sys, time, urllib.request, statistics
base, token = sys.argv[1], sys.argv[2]
def post(query, variables=None):
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    req = urllib.request.Request(base + "/graphql", body, {"Content-Type": "application/json", "Authorization": "Bearer " + token})
    with urllib.request.urlopen(req) as r: return json.loads(r.read())
pid = post('{ people(search: "van", first: 1) { nodes { id } } }')["data"]["people"]["nodes"][0]["id"]
rest = """nominations { nominatedOn status nominatingBody removalReason cell { code } }
  enrolments { result certificateNumber certificateDate class { kind title startsOn } }
  admission { decisionNumber decisionDate ceremonyDate outcome outcomeDecisionDate cell { code } }
  membership { status partySince officialSince } } } }"""
with_personal = "query($id: ID!) { node(id: $id) { ... on Person { fullName gender dateOfBirth ethnicity " + rest
without = "query($id: ID!) { node(id: $id) { ... on Person { fullName gender " + rest
for name, q in [("warm", with_personal), ("without personal fields (no audit row)", without), ("the benchmark's timeline (dateOfBirth, ethnicity: one audit row)", with_personal), ("without, again", without), ("with, again", with_personal)]:
    times = []
    for _ in range(300):
        t = time.perf_counter(); r = post(q, {"id": pid}); times.append((time.perf_counter() - t) * 1000)
        assert not r.get("errors"), r
    times.sort()
    print(f"{name}: p50 {statistics.median(times):.2f} ms, p90 {times[int(len(times)*0.9)]:.2f} ms")
