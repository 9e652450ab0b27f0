// The province dashboard: a unit and a period picked once for the whole page (as DHIS2 and Grafana
// do), each panel fed from one GraphQL request per view (queries/view.graphql), refreshed by the
// figuresChanged subscription. Only the public API, with the user's bearer token.
import { Chart, registerables, createClient } from '/dashboard/vendor.js';

Chart.register(...registerables);
Chart.defaults.animation = false;
Chart.defaults.font.family = 'system-ui, sans-serif';

const GRAPHQL_PATH = '/graphql';
const TOKEN_KEY = 'ketnap-token';
const $ = (id) => document.getElementById(id);

// ---- Vietnamese formatting: 1.731; 124,4 %
const integer = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const int = (n) => integer.format(n);
const pct = (n) => `${oneDecimal.format(n)} %`;
const roman = ['I', 'II', 'III', 'IV'];
const day = (iso) => iso.split('-').reverse().join('/');
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' });

/** "đạt 124,4 %", "vượt 24,4 %" — or "còn thiếu 12,5 %" when short of the target. */
function attainmentText(attainment) {
  if (!attainment) return 'chưa có chỉ tiêu';
  const over = attainment.exceededByPercent;
  return `đạt ${pct(attainment.percent)}, ${over >= 0 ? `vượt ${pct(over)}` : `còn thiếu ${pct(-over)}`}`;
}

/** The Vietnamese name of a period: "6 tháng đầu năm 2023", "Quý II/2023", "Nhiệm kỳ 2020–2025". */
export function periodLabel(p) {
  let label;
  if (p.term) label = `Nhiệm kỳ ${p.term.startYear}–${p.term.endYear}`;
  else if (p.from) label = `Từ ${day(p.from)} đến ${day(p.to)}`;
  else if (p.half) label = `6 tháng ${p.half === 1 ? 'đầu' : 'cuối'} năm ${p.year}`;
  else if (p.quarter) label = `Quý ${roman[p.quarter - 1]}/${p.year}`;
  else if (p.month) label = `Tháng ${p.month}/${p.year}`;
  else label = `Năm ${p.year}`;
  return p.asOf ? `${label} (tính đến ngày ${day(p.asOf)})` : label;
}

/** The same period a year earlier (the previous term for a term). */
function previousPeriod(p) {
  const shift = (iso) => `${Number(iso.slice(0, 4)) - 1}${iso.slice(4)}`;
  if (p.term) return { term: { startYear: p.term.startYear - 5, endYear: p.term.endYear - 5 } };
  if (p.from) return { from: shift(p.from), to: shift(p.to), ...(p.asOf ? { asOf: shift(p.asOf) } : {}) };
  const previous = { ...p, year: p.year - 1 };
  if (p.asOf) previous.asOf = shift(p.asOf);
  return previous;
}

const granularityOf = (p) => (p.term || (p.from && Date.parse(p.to) - Date.parse(p.from) > 400 * 864e5) ? 'QUARTER' : 'MONTH');

/** "T4/2026" for a month bucket, "Q2/2026" for a quarter. */
function bucketLabel(bucket, granularity) {
  const [year, month] = bucket.start.split('-').map(Number);
  return granularity === 'QUARTER' ? `Q${Math.ceil(month / 3)}/${year}` : `T${month}/${year}`;
}

const CATEGORY = {
  MALE: 'Nam', FEMALE: 'Nữ', OTHER: 'Khác', UNKNOWN: 'Không rõ',
  YOUTH_UP_TO_30: 'Đến 30 tuổi', FROM_31_TO_45: '31–45 tuổi', FROM_46_TO_60: '46–60 tuổi', OVER_60: 'Trên 60 tuổi',
  PRIMARY: 'Tiểu học', LOWER_SECONDARY: 'THCS', UPPER_SECONDARY: 'THPT', NONE: 'Chưa qua',
  // The withheld categories of a breakdown shown to a dashboard token (disclosure control).
  SUPPRESSED: 'Ẩn (dưới ngưỡng công bố)',
};
const LEVEL = { PROVINCE: 0, DISTRICT: 1, COMMUNE: 2, CELL: 3 };

// ---- The API
const documents = {};
async function load(name) {
  documents[name] ??= await (await fetch(`/dashboard/${name}.graphql`)).text();
  return documents[name];
}
const token = () => sessionStorage.getItem(TOKEN_KEY) ?? '';

async function graphql(name, variables = {}) {
  const headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
  if (token()) headers.authorization = `Bearer ${token()}`;
  const response = await fetch(GRAPHQL_PATH, { method: 'POST', headers, body: JSON.stringify({ query: await load(name), variables }) });
  const body = await response.json().catch(() => ({}));
  if (body.errors?.length || !response.ok) {
    const error = new Error(body.errors?.map((e) => e.message).join('; ') || `HTTP ${response.status}`);
    error.code = body.errors?.[0]?.extensions?.code;
    throw error;
  }
  return body.data;
}

// ---- The page's state: one unit and one period for every panel
const state = { code: null, period: null, role: null, provinces: [], charts: {}, unsubscribe: null, liveCode: null };

function readPicker() {
  const kind = $('kind').value;
  const year = Number($('year').value);
  const part = Number($('part').value);
  let period;
  if (kind === 'term') {
    const [startYear, endYear] = $('term').value.split('-').map(Number);
    period = { term: { startYear, endYear } };
  } else if (kind === 'range') period = { from: $('from').value, to: $('to').value };
  else if (kind === 'year') period = { year };
  else period = { year, [kind]: part };
  if ($('sofar').checked) period.asOf = today();
  return period;
}

function showPickerFields() {
  const kind = $('kind').value;
  const parts = { half: ['6 tháng đầu', '6 tháng cuối'], quarter: roman.map((r) => `Quý ${r}`), month: [...Array(12)].map((_, i) => `Tháng ${i + 1}`) }[kind];
  $('year-field').hidden = kind === 'term' || kind === 'range';
  $('part-field').hidden = !parts;
  $('term-field').hidden = kind !== 'term';
  $('from-field').hidden = $('to-field').hidden = kind !== 'range';
  if (parts) {
    const kept = $('part').value;
    $('part').replaceChildren(...parts.map((text, i) => new Option(text, String(i + 1))));
    if (Number(kept) <= parts.length) $('part').value = kept || '1';
  }
}

// ---- Rendering
function card(id, title, value, detail = '') {
  const div = document.createElement('div');
  div.innerHTML = '<dt></dt><dd><span></span><small></small></dd>';
  div.querySelector('dt').textContent = title;
  const dd = div.querySelector('dd');
  dd.id = `fig-${id}`;
  dd.querySelector('span').textContent = value;
  dd.querySelector('small').textContent = detail;
  return div;
}

function renderHeadline(unit) {
  const s = unit.stats;
  const projection = s.projection;
  const cards = [
    card('admissions', 'Kết nạp', int(s.admissions), `cùng kỳ năm trước: ${int(unit.previous.admissions)}`),
    card('assigned', 'Chỉ tiêu được giao', s.assignedTarget == null ? '—' : int(s.assignedTarget), attainmentText(s.attainment)),
    card('resolution', 'Chỉ tiêu nghị quyết', s.resolutionTarget == null ? '—' : int(s.resolutionTarget), attainmentText(s.attainmentAgainstResolution)),
    card('projection', 'Dự kiến cả kỳ theo tiến độ', projection.projectedTotal == null ? '—' : int(Math.round(projection.projectedTotal)),
      projection.projectedAttainmentPercent == null ? `đã qua ${pct(projection.elapsedShare * 100)} thời gian` : `dự kiến đạt ${pct(projection.projectedAttainmentPercent)}`),
    card('members', 'Đảng viên', int(s.officialMembers + s.probationaryMembers), `chính thức ${int(s.officialMembers)} · dự bị ${int(s.probationaryMembers)}`),
    card('in-source', 'Quần chúng ưu tú trong nguồn', int(s.inSource)),
    card('recognitions', 'Công nhận đảng viên chính thức', int(s.recognitions)),
    card('due', 'Đến hạn công nhận (30 ngày)', int(unit.recognitionsDue.due), `quá hạn: ${int(unit.recognitionsDue.overdue)}`),
  ];
  $('headline').replaceChildren(...cards);
}

// ---- Official or not: a signed-off period shows who signed it off and what changed since
const FIGURE_LABEL = {
  admissions: 'Kết nạp', recognitions: 'Công nhận chính thức', namesDeleted: 'Xóa tên đảng viên dự bị',
  nominated: 'Giới thiệu vào nguồn', removedFromSource: 'Đưa ra khỏi nguồn', inSource: 'Trong nguồn',
  probationaryMembers: 'Đảng viên dự bị', officialMembers: 'Đảng viên chính thức', cells: 'Chi bộ',
  assignedTarget: 'Chỉ tiêu được giao',
};
// A moment (RFC 3339) as its day in Vietnam, dd/mm/yyyy.
const dayOf = (moment) => new Date(moment).toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' });
const signed = (n) => (n > 0 ? `+${int(n)}` : int(n));

function officialText(official) {
  if (!official) return 'Số liệu hiện hành: kỳ này chưa được phê duyệt, chưa có số liệu chính thức.';
  const s = official.signOff;
  const parts = [`Số liệu chính thức (lần ${s.revision}): phê duyệt ngày ${dayOf(s.signedOffAt)} bởi ${s.signedOffBy ?? '—'}`];
  parts.push(s.approvedAt ? `cấp trên duyệt ngày ${dayOf(s.approvedAt)} bởi ${s.approvedBy ?? '—'}` : 'chờ cấp trên duyệt');
  const changes = official.differences.map((d) =>
    `${FIGURE_LABEL[d.figure] ?? d.figure} ${d.official == null ? '—' : int(d.official)} → ${d.live == null ? '—' : int(d.live)} (${signed(d.difference)})`);
  return `${parts.join('; ')}. ${official.changedSince ? `Đã thay đổi sau khi phê duyệt: ${changes.join('; ')}.` : 'Không có thay đổi từ khi phê duyệt.'}`;
}

function renderOfficial(official) {
  const note = $('official');
  note.textContent = officialText(official);
  note.dataset.official = official ? (official.changedSince ? 'changed' : 'official') : 'live';
}

function renderBreadcrumb(unit) {
  const trail = [...unit.ancestors].sort((a, b) => LEVEL[a.level] - LEVEL[b.level]);
  const items = trail.map((ancestor) => {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = `#${encodeURIComponent(ancestor.code)}`;
    a.textContent = ancestor.name;
    a.addEventListener('click', (event) => { event.preventDefault(); show(ancestor.code); });
    li.append(a);
    return li;
  });
  const here = document.createElement('li');
  here.textContent = unit.name;
  here.setAttribute('aria-current', 'page');
  $('breadcrumb').replaceChildren(...items, here);
}

function renderRanking(rows) {
  const body = $('ranking').querySelector('tbody');
  if (!rows.length) {
    body.innerHTML = '<tr><td colspan="5">Không có đơn vị trực thuộc.</td></tr>';
    return;
  }
  const top = Math.max(100, ...rows.map((r) => r.attainment?.percent ?? 0));
  body.replaceChildren(...rows.map((row) => {
    const tr = document.createElement('tr');
    tr.dataset.code = row.unit.code;
    tr.innerHTML = '<td class="num"></td><td><button type="button" class="link"></button></td><td class="num"></td><td class="num"></td><td class="bar"><span></span><output></output></td>';
    const [rank, name, admissions, target, bar] = tr.children;
    rank.textContent = row.rank;
    name.firstChild.textContent = row.unit.name;
    name.firstChild.addEventListener('click', () => show(row.unit.code));
    admissions.textContent = int(row.stats.admissions);
    target.textContent = row.attainment ? int(row.attainment.target) : '—';
    const percent = row.attainment?.percent;
    bar.firstChild.style.width = percent == null ? '0' : `${(60 * percent) / top}%`;
    bar.firstChild.classList.toggle('over', percent >= 100);
    bar.lastChild.textContent = percent == null ? 'chưa có chỉ tiêu' : pct(percent);
    return tr;
  }));
}

function drawChart(id, config) {
  state.charts[id]?.destroy();
  state.charts[id] = new Chart($(id), { ...config, options: { maintainAspectRatio: false, responsive: true, ...config.options } });
}

const cumulative = (values) => values.reduce((sums, v) => [...sums, (sums.at(-1) ?? 0) + v], []);

function renderSeries(unit, granularity) {
  const now = unit.stats.timeSeries;
  const before = unit.previous.timeSeries;
  const target = unit.stats.assignedTarget;
  const datasets = [
    { type: 'bar', label: 'Kết nạp', data: now.map((b) => b.admissions), backgroundColor: '#1f6feb' },
    { type: 'bar', label: 'Công nhận chính thức', data: now.map((b) => b.recognitions), backgroundColor: '#8250df' },
    { type: 'bar', label: `Kết nạp cùng kỳ (${unit.previous.period.label})`, data: before.map((b) => b.admissions), backgroundColor: '#afb8c1' },
    { type: 'line', label: 'Kết nạp luỹ kế', data: cumulative(now.map((b) => b.admissions)), borderColor: '#b3261e', backgroundColor: '#b3261e' },
    { type: 'line', label: 'Luỹ kế cùng kỳ năm trước', data: cumulative(before.map((b) => b.admissions)), borderColor: '#57606a', borderDash: [2, 3], backgroundColor: '#57606a' },
  ];
  if (target != null) {
    datasets.push({ type: 'line', label: 'Chỉ tiêu được giao', data: now.map(() => target), borderColor: '#1a7f37', borderDash: [6, 4], pointRadius: 0, backgroundColor: '#1a7f37' });
  }
  drawChart('series', {
    data: { labels: now.map((b) => bucketLabel(b, granularity)), datasets },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0, callback: (v) => int(v) } } }, plugins: { legend: { position: 'bottom' } } },
  });
}

function renderFunnel(funnel) {
  drawChart('funnel', {
    type: 'bar',
    data: {
      labels: ['Hoàn thành lớp', 'Đã kết nạp', 'Ra khỏi nguồn', 'Còn trong nguồn', 'Khác'],
      datasets: [{ label: 'Số người', data: [funnel.completed, funnel.admitted, funnel.removed, funnel.stillInSource, funnel.other], backgroundColor: ['#1f6feb', '#1a7f37', '#cf222e', '#bf8700', '#8c959f'] }],
    },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

function renderBreakdowns(s) {
  const named = (list) => list.map((c) => [CATEGORY[c.category] ?? c.category, c.count]);
  // Under disclosure control (a figures-only token) say so: the counts are not exact.
  const lists = [s.admissionsByGender, s.admissionsByAgeBand, s.admissionsByGeneralEducation];
  $('breakdowns-note').hidden = !lists.some((list) => list.some((c) => c.disclosure !== 'SHOWN'));
  const groups = [
    ['Dân tộc', [['Dân tộc thiểu số', s.ethnicMinorityAdmissions], ['Kinh', s.kinhAdmissions]]],
    ['Giới tính', named(s.admissionsByGender)],
    ['Độ tuổi', named(s.admissionsByAgeBand)],
    ['Học vấn', named(s.admissionsByGeneralEducation)],
  ];
  const colours = ['#1f6feb', '#8250df', '#bf8700', '#1a7f37'];
  const labels = groups.flatMap(([, rows]) => rows.map(([name]) => name));
  let at = 0;
  const datasets = groups.map(([group, rows], g) => {
    const data = labels.map(() => null);
    rows.forEach(([, count]) => { data[at] = count; at += 1; });
    return { label: group, data, backgroundColor: colours[g], skipNull: true };
  });
  drawChart('breakdowns', {
    type: 'bar',
    data: { labels, datasets },
    options: { indexAxis: 'y', datasets: { bar: { grouped: false } }, plugins: { legend: { position: 'bottom' } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

const REPORTS = [['ranking', 'Xếp hạng'], ['children', 'Số liệu đơn vị trực thuộc'], ['time-series', 'Diễn biến theo tháng'], ['breakdowns', 'Cơ cấu'], ['funnel', 'Phễu']];

function renderExports() {
  $('exports').replaceChildren(...REPORTS.flatMap(([name, title]) => ['xlsx', 'csv'].map((format) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = `${title} (${format.toUpperCase()})`;
    button.addEventListener('click', () => download(name, format));
    return button;
  })));
}

/** A report with the token: fetch and save the blob (a link cannot carry an Authorization header). */
async function download(name, format) {
  const query = new URLSearchParams({ unit: state.code, period: JSON.stringify(state.period) });
  const headers = token() ? { authorization: `Bearer ${token()}` } : {};
  const response = await fetch(`/reports/${name}.${format}?${query}`, { headers });
  if (!response.ok) {
    $('status').textContent = `Không tải được báo cáo (${response.status}).`;
    return;
  }
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = `${name}-${state.code}.${format}`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

// ---- One view: one request, whatever the role
let generation = 0;
async function render() {
  const mine = (generation += 1);
  const period = state.period;
  const granularity = granularityOf(period);
  const variables = { code: state.code, period, previous: previousPeriod(period), granularity };
  try {
    const { unit } = await graphql('view', variables);
    if (mine !== generation) return;
    document.title = `${unit.name} — ${periodLabel(period)} — ketnap`;
    $('title').textContent = unit.name;
    $('period-label').textContent = periodLabel(period);
    renderBreadcrumb(unit);
    renderHeadline(unit);
    renderOfficial(unit.stats.official);
    renderRanking(unit.stats.ranking);
    renderSeries(unit, granularity);
    renderFunnel(unit.stats.funnel);
    renderBreakdowns(unit.stats);
    document.body.dataset.loaded = `${unit.code} ${JSON.stringify(period)}`;
  } catch (error) {
    $('status').textContent = error.code === 'UNAUTHENTICATED' ? 'Cần đăng nhập: nhập mã truy cập.' : `Lỗi: ${error.message}`;
    if (error.code === 'UNAUTHENTICATED') $('signin').open = true;
  }
}

async function show(code) {
  state.code = code;
  history.replaceState(null, '', `#${encodeURIComponent(code)}`);
  await render();
  subscribe();
}

// ---- Live updates: figuresChanged over graphql-ws on the GraphQL path
let client = null;
function subscribe() {
  if (state.liveCode === state.code) return;
  state.unsubscribe?.();
  state.liveCode = state.code;
  client ??= createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${GRAPHQL_PATH}`,
    connectionParams: () => (token() ? { Authorization: `Bearer ${token()}` } : {}),
    retryAttempts: Infinity,
    on: { connected: () => { $('status').textContent = 'Cập nhật trực tiếp: đã kết nối.'; } },
  });
  let timer = null;
  load('figures_changed').then((query) => {
    state.unsubscribe = client.subscribe({ query, variables: { code: state.code } }, {
      next: () => {
        clearTimeout(timer);
        timer = setTimeout(async () => {
          await render();
          $('status').textContent = `Số liệu vừa thay đổi; đã cập nhật lúc ${new Date().toLocaleTimeString('vi-VN')}.`;
        }, 200);
      },
      error: () => { $('status').textContent = 'Mất kết nối cập nhật trực tiếp.'; },
      complete: () => {},
    });
  });
}

// ---- Start
async function start() {
  const now = Number(today().slice(0, 4));
  $('year').value = String(now);
  $('from').value = `${now}-01-01`;
  $('to').value = today();
  const start = now - ((now - 2000) % 5);
  $('term').replaceChildren(...[start - 10, start - 5, start].map((y) => new Option(`${y}–${y + 5}`, `${y}-${y + 5}`)));
  $('term').value = `${start - 5}-${start}`;
  showPickerFields();
  $('token').value = token();
  $('save-token').addEventListener('click', () => {
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    location.reload();
  });
  $('kind').addEventListener('change', showPickerFields);
  $('picker').addEventListener('submit', (event) => {
    event.preventDefault();
    state.period = readPicker();
    render();
  });
  $('unit').addEventListener('change', () => { state.period = readPicker(); show($('unit').value); });
  renderExports();
  try {
    const { me, provinces } = await graphql('viewer');
    state.role = me.role;
    const units = me.scope ? [me.scope] : provinces.nodes;
    state.provinces = units;
    $('unit').replaceChildren(...units.map((u) => new Option(u.name, u.code)));
    const wanted = decodeURIComponent(location.hash.slice(1));
    state.period = readPicker();
    await show(wanted || units[0].code);
    if (units.some((u) => u.code === state.code)) $('unit').value = state.code;
  } catch (error) {
    $('status').textContent = error.code === 'UNAUTHENTICATED' ? 'Cần đăng nhập: nhập mã truy cập.' : `Lỗi: ${error.message}`;
    $('signin').open = true;
    $('title').textContent = 'Chưa tải được số liệu';
  }
}

start();
