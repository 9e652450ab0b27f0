# Sends the worst requests found to a running server and prints the server's VmHWM after each.
import json, sys, time, urllib.request
base, token, pid = sys.argv[1], sys.argv[2], sys.argv[3]
def hwm():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(("VmHWM", "VmRSS")): print("   ", line.strip())
def post(query, variables=None):
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    req = urllib.request.Request(base + "/graphql", body, {"Content-Type": "application/json", "Authorization": "Bearer " + token})
    t = time.time()
    with urllib.request.urlopen(req) as r:
        data = r.read(); headers = dict(r.headers)
    errors = json.loads(data).get("errors") or []
    codes = sorted({e.get("extensions", {}).get("code") for e in errors})
    return time.time() - t, len(data), codes, headers.get("X-RateLimit-Cost") or headers.get("x-ratelimit-cost")
province = sys.argv[4]
cases = {}
frag = "{ unit(code: \"%s\") { ...F24 } } fragment F0 on Unit { name } " % province + "".join(
    "fragment F%d on Unit { ...F%d ...F%d } " % (n, n - 1, n - 1) for n in range(1, 25))
cases["fragment doubling (2^24 fields, 1 KB)"] = frag
one = 'stats(period: { from: "2016-01-01", to: "2025-12-31" }) { timeSeries(granularity: MONTH) { label admissions } }'
cases["40 aliased decade series by month (cost 9,681)"] = "{ unit(code: \"%s\") { %s } }" % (province, " ".join("s%d: %s" % (i, one) for i in range(40)))
one = 'stats(period: { from: "0001-01-01", to: "9999-12-31" }) { timeSeries(granularity: MONTH) { label admissions } }'
cases["the issue's request: 40 aliased series 0001-9999"] = "{ unit(code: \"%s\") { %s } }" % (province, " ".join("s%d: %s" % (i, one) for i in range(40)))
fields = "fullName gender dateOfBirth ethnicity religion citizenId address occupation position generalEducation professionalEducation politicalTheory otherNames isEthnicMinority createdAt updatedAt"
cases["people pages: 6 x 100 people x 16 fields (over the limit)"] = "{ %s }" % " ".join('p%d: people(search: "%s", first: 100) { nodes { %s } }' % (i, w, fields) for i, w in enumerate(["van", "thi", "huu", "duc", "minh", "anh"]))
cases["people pages: 5 x 100 people x 16 fields"] = "{ %s }" % " ".join('p%d: people(search: "%s", first: 100) { nodes { %s } }' % (i, w, fields) for i, w in enumerate(["van", "thi", "huu", "duc", "minh"]))
rank = 'stats(period: { year: %d }) { ranking { rank unit { code name } attainment { percent target } stats { admissions } } }'
cases["800 aliased rankings over 10 years"] = "{ unit(code: \"%s\") { %s } }" % (province, " ".join("r%d: %s" % (i, rank % (2016 + i % 10)) for i in range(800)))
breakdowns = "admissionsByEthnicity { category count } admissionsByReligion { category count } admissionsByOccupation { category count } admissionsByAgeBand { category count }"
cases["700 aliased breakdown sets over ranges"] = "{ unit(code: \"%s\") { %s } }" % (province, " ".join('b%d: stats(period: { from: "2016-01-%02d", to: "2025-12-31" }) { %s }' % (i, i % 28 + 1, breakdowns) for i in range(700)))
print("start"); hwm()
for name, q in cases.items():
    took, size, codes, cost = post(q)
    print(f"{name}: {took*1000:.1f} ms, {size} bytes, codes {codes}, cost {cost}")
    hwm()
