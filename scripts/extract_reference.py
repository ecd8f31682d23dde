#!/usr/bin/env python3
"""Extract test fixtures from the published 朔州市促进外来投资局 2025 budget.

Reads the text dump of the real disclosure (tab-separated table cells, blank
lines are page breaks) and writes

  tests/data/reference-tables.tsv     body rows of 预算公开表1–13, one line
                                      per row: t<N>, then the row's cells
  samples/shuozhou-investment-2025.json
                                      the department as the canonical model
                                      (serde JSON of budgetkit::model::Budget)

Both outputs come from the same parsed rows; nothing is retyped.

Usage: python3 scripts/extract_reference.py [REFERENCE.txt]
Python 3.11 standard library only; the output is deterministic.
"""

import json
import re
import sys
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path

REFERENCE = Path("/work/shared/reference/shuozhou-investment-bureau-2025-budget.txt")
ROOT = Path(__file__).resolve().parent.parent
TSV_OUT = ROOT / "tests" / "data" / "reference-tables.tsv"
JSON_OUT = ROOT / "samples" / "shuozhou-investment-2025.json"
# The performance forms section verbatim, for tests/performance.rs.
FORMS_OUT = ROOT / "tests" / "data" / "reference-forms.txt"

# The 13 tables in order: title, number of header rows, and whether a
# 栏次 numbering row ("1 2 3 …") follows the header.
TABLES = [
    ("2025年预算收支总表", 2, False),
    ("2025年预算收入总表", 2, False),
    ("2025年预算支出总表", 2, False),
    ("2025年财政拨款收支总表", 3, False),
    ("2025年一般公共预算支出预算表（不含上年结转）", 2, False),
    ("2025年一般公共预算安排基本支出分经济科目表（不含上年结转）", 2, False),
    ("2025年政府性基金预算收入表（不含上年结转）", 2, False),
    ("2025年政府性基金预算支出表（不含上年结转）", 1, False),
    ("2025年国有资本经营预算收支预算表（不含上年结转）", 3, False),
    ("2025年财政拨款安排“三公”经费支出预算表", 2, False),
    ("2025年财政拨款安排机关运行经费预算表", 2, False),
    ("2025年项目支出预算表（本年预算）", 2, True),
    ("2025年项目支出预算表（上年结转）", 2, True),
]
TABLES_START = "第二部分 2025年部门预算报表"  # followed by "预算公开表1"
TABLES_END = "第三部分"
PAGE_CAPTION = re.compile(r"(预算|部门)公开表\d+")
NOTE = "注："  # "注：本表无数据"

FORMS_START = "（项目绩效目标表公开情况见附件）"
FORMS_END = "十一、国有资产占有使用情况"
DEPARTMENT_FORM = "整体支出绩效目标申报表"
PROJECT_FORM = "项目支出绩效目标表"

SOURCE_KEYS = ["general", "gov_fund", "state_capital", "special", "unit"]
FUND_KEYS = SOURCE_KEYS[:3]

warnings = []


def warn(msg):
    warnings.append(msg)


# ---------------------------------------------------------------- tables


def cells(line):
    """A table line's cells, inner whitespace removed, trailing blanks cut."""
    row = [re.sub(r"\s+", "", c) for c in line.split("\t")]
    while row and not row[-1]:
        row.pop()
    return row


def read_tables(lines):
    """Returns (department name, {"t1": [body rows], …})."""
    start = next(
        i for i, line in enumerate(lines)
        if line.strip() == TABLES_START
        and next(x.strip() for x in lines[i + 1:] if x.strip()) == "预算公开表1"
    )
    blocks, department = [], None
    for line in lines[start + 1:]:
        text = line.strip()
        if text.startswith(TABLES_END):
            break
        if not text or PAGE_CAPTION.fullmatch(text):  # page break / caption
            continue
        if len(blocks) < len(TABLES) and text == TABLES[len(blocks)][0]:
            blocks.append([])  # a new table starts at its title
            continue
        blocks[-1].append(line)
    assert len(blocks) == len(TABLES), f"found {len(blocks)} of {len(TABLES)} tables"

    tables = {}
    for n, ((title, header_rows, numbering), block) in enumerate(zip(TABLES, blocks), 1):
        rows, skip_next = [], False
        for line in block:
            text = line.strip()
            if skip_next:  # "单位：万" / "元" broken across two lines
                skip_next = False
                continue
            if text.startswith("部门名称"):
                department = department or re.sub(r"^部门名称[:：]", "", text)
                continue
            if text.startswith("单位："):
                skip_next = not text.endswith("元")
                continue
            rows.append(cells(line))
        body = rows[header_rows:]
        if numbering:
            assert body and body[0] == [str(i) for i in range(1, len(body[0]) + 1)], title
            body = body[1:]
        tables[f"t{n}"] = body
    return department, tables


# ---------------------------------------------------------------- amounts


def amount(text):
    """{"value": "x.xx"} for a typed amount ("353.49", "5万元", "0"); None if blank."""
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).replace(",", "")
    t = re.sub(r"万?元?$", "", t)
    if not t:
        return None
    try:
        return {"value": f"{Decimal(t):.2f}"}
    except InvalidOperation:
        warn(f"not an amount: {text!r}")
        return None


def value(a):
    return Decimal(a["value"]) if a else Decimal(0)


def pick(row, i):
    return row[i] if i < len(row) else ""


def compact(d):
    """Drops blank (None) entries: blank cells are omitted fields."""
    return {k: v for k, v in d.items() if v is not None}


def sources(row, first, keys):
    """Amounts of row[first:] mapped onto source keys."""
    return compact({k: amount(pick(row, first + i)) for i, k in enumerate(keys)})


def split(row, first):
    """基本支出/项目支出 at row[first], row[first + 1]."""
    return compact({"basic": amount(pick(row, first)), "project": amount(pick(row, first + 1))})


# ---------------------------------------------------------------- model


def function_rows(rows, first=0):
    """code → row (code at row[first]); the 合计 row has code ""."""
    out = {}
    for row in rows:
        if not row or row[0].startswith(NOTE):
            continue
        if row[0] == "合计":  # 表9: one 合计 row across income and spending
            out[""] = ["", "合计"] + row[first + 2:]
        elif pick(row, first):
            out[row[first]] = row[first:]
    return out


def functions(t):
    income = function_rows(t["t2"])  # 表2: this year's income by source
    spend = {  # scope → code → [code, name, 合计, 基本, 项目]
        "all": function_rows(t["t3"]),
        "general": function_rows(t["t5"]),
        "gov_fund": function_rows(t["t8"]),
        "state_capital": function_rows(t["t9"], first=3),
    }
    codes = list(dict.fromkeys(c for table in [income, *spend.values()] for c in table))

    def line(code):
        name = next(tbl[code][1] for tbl in [income, *spend.values()] if code in tbl)
        row2 = income.get(code, [])
        out = {"code": code, "name": name, "income": sources(row2, 3, SOURCE_KEYS),
               **compact({"carryover": amount(pick(row2, 8))})}  # 表2 上年结转
        for scope in ("general", "gov_fund", "state_capital"):
            out[scope] = split(spend[scope].get(code, []), 3)
        # other = 表3 − (表5 + 表8 + 表9), zero or blank omitted
        total = split(spend["all"].get(code, []), 3)
        other = {}
        for half in ("basic", "project"):
            rest = value(total.get(half)) - sum(
                value(out[scope].get(half)) for scope in ("general", "gov_fund", "state_capital"))
            if rest:
                other[half] = {"value": f"{rest:.2f}"}
        out["other"] = other
        return out

    return {"total": line(""), "lines": [line(c) for c in codes if c]}


def fiscal_carryover(rows):
    """表4: the fund rows under 上年财政拨款结转 (income side)."""
    labels = {"一、一般公共预算": "general", "二、政府性基金预算": "gov_fund",
              "三、国有资本经营预算": "state_capital"}
    at = next(i for i, r in enumerate(rows) if r[0] == "上年财政拨款结转")
    return compact({labels[r[0]]: amount(pick(r, 1)) for r in rows[at + 1:] if r[0] in labels})


def economic(rows):
    table = {"total": {}, "groups": []}
    for row in rows:
        costs = compact({"personnel": amount(pick(row, 3)), "public": amount(pick(row, 4))})
        if row[0] == "合计":
            table["total"] = costs
        elif not pick(row, 1):  # group row: no 政府预算经济科目
            table["groups"].append({"name": row[0], "costs": costs, "items": []})
        else:
            table["groups"][-1]["items"].append({"name": row[0], "gov_name": row[1], "costs": costs})
    return table


def income_table(rows):
    """表7 (or 表9's income side, columns 0–2): 合计 and code/name/amount lines."""
    out = {"lines": []}
    for row in rows:
        if row[0].startswith(NOTE):
            continue
        if row[0] == "合计":
            out.update(compact({"total": amount(pick(row, 2))}))
        elif row[0]:
            out["lines"].append(compact({"code": row[0], "name": pick(row, 1),
                                         "amount": amount(pick(row, 2))}))
    return out


def three_public(rows):
    keys = {"因公出国（境）费": "abroad", "公务接待费": "reception",
            "①公务用车购置费": "vehicle_purchase", "②公务用车运行维护费": "vehicle_operation"}
    out = {k: {} for k in keys.values()}
    for row in rows:
        if row[0] in keys:  # 公务用车购置及运行费 and 合计 are derived
            out[keys[row[0]]] = sources(row, 2, FUND_KEYS)
    return out


def projects(rows, department, units):
    """表12/13: department row, then per unit a unit row and its projects."""
    out, unit = [], None
    for row in rows:
        if row[0].startswith(NOTE) or row[0] == department:
            continue
        if row[0] in units:
            unit = row[0]
            continue
        out.append({"unit": unit, "name": row[0], "sources": sources(row, 2, SOURCE_KEYS)})
    return out


# ---------------------------------------------------------------- forms


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


ALIASES = {
    "实际资金总额": "实施期资金总额",  # typo in one form
    "市、县(区)财政资金": "市县(区)财政资金",
    "市县(区)财政资": "市县(区)财政资金",
}
LABELS = set(ALIASES.values()) | {
    # project forms
    "项目名称", "主管部门及代码", "实施单位", "项目属性", "项目期", "项目资金(元)",
    "年度资金总额", "中央财政资金", "省级财政资金", "单位自筹", "其他资金",
    "项目概况", "立项依据", "项目设立必要性", "保证项目实施的制度、措施", "项目实施计划",
    "实施期目标", "年度目标", "总体目标", "绩效指标",
    "负责人", "经办人", "联系电话", "填报日期",
    # department form
    "部门基本信息", "部门名称", "内设职能部门数", "所属预算单位数", "核定的人员编制数",
    "实际在职人员总数", "在编人员数", "其他人员数", "部门职责", "部门战略目标",
    "年度预算情况", "按资金来源划分", "按资金方向划分", "资金总额(万元)", "合计",
    "一般公共预算资金", "政府性基金预算资金", "国有资本经营预算资金", "社会保险基金预算资金",
    "专户管理资金", "单位资金", "基本支出", "项目支出",
    "年度重点任务", "核心职能", "重点任务", "年度绩效目标", "年度绩效指标",
    "一级指标", "二级指标", "三级指标", "指标值",
}


def label(cell):
    """The label a cell spells ("其中: 中央财政资金" → "中央财政资金"), or None."""
    k = norm(cell).rstrip(":").removeprefix("其中:")
    k = ALIASES.get(k, k)
    return k if k in LABELS else None


class Form:
    """The ragged rows of one form, read by their labels."""

    def __init__(self, lines):
        self.year = re.search(r"\((\d{4})", norm(lines[0])).group(1)  # "(2025年度)"
        self.rows = [line.split("\t") for line in lines[1:]]

    def find(self, name, nth=0):
        """(row, column) of the nth cell labelled name, or None."""
        hits = [(i, j) for i, row in enumerate(self.rows)
                for j, cell in enumerate(row) if label(cell) == name]
        return hits[nth] if nth < len(hits) else None

    def after(self, name, nth=0):
        """Non-empty cells after the nth label name on its row, up to the next label."""
        at = self.find(name, nth)
        if at is None:
            return None
        out = []
        for cell in self.rows[at[0]][at[1] + 1:]:
            if label(cell):
                break
            if cell.strip():
                out.append(cell.strip())
        return out

    def get(self, name, nth=0):
        """The value after a label; "" when blank, None when the label is absent."""
        vals = self.after(name, nth)
        if vals is None:
            return None
        if vals:
            return vals[0]
        # The value may have wrapped onto the next row ("项目期" / "99年").
        i, j = self.find(name, nth)
        nxt = self.rows[i + 1] if i + 1 < len(self.rows) else []
        if not any(label(c) for c in nxt):
            return next((c.strip() for c in nxt[j:] if c.strip()), "")
        return ""

    def rows_between(self, first, last):
        """Rows strictly after the row of label first, before the row of label last."""
        a = self.find(first)[0] + 1
        b = self.find(last)[0] if last and self.find(last) else len(self.rows)
        return [[c.strip() for c in row if c.strip()] for row in self.rows[a:b]]


CATEGORY = re.compile(r"[\u4e00-\u9fff]{2,10}指标")  # 产出指标, 数量指标, …
LEVEL1 = {"产出指标", "效益指标", "满意度指标"}


def indicator_value(text):
    """Mirrors IndicatorValue::parse in src/model/performance.rs."""
    text = text.strip()
    rest, op = norm(text), None
    for cand in ["≥", "≤", ">=", "<=", ">", "<", "="]:
        if rest.startswith(cand):
            op, rest = {">=": "≥", "<=": "≤"}.get(cand, cand), rest[len(cand):]
            break
    m = re.match(r"[0-9.]*", rest).group()
    number = m if re.fullmatch(r"\d+(\.\d+)?|\.\d+", m) else None
    out = {"text": text}
    if number is not None:
        if op:
            out["op"] = op
        out["number"] = number
        if rest[len(m):]:
            out["unit"] = rest[len(m):]
    return out


def take_indicator(cells, state, with_level1):
    """Consumes one indicator from the front of a row's non-empty cells.

    Cells are attributed by content, not column: the PDF extraction shifted
    them. A category cell (…指标) is 一级 if it is 产出/效益/满意度指标 (or
    成本指标 followed by another …成本指标), otherwise 二级; both are
    forward-filled in state. Then up to two plain cells: 三级指标, 指标值.
    Returns (level3, value)."""
    def is_category(k):
        return k < len(cells) and CATEGORY.fullmatch(norm(cells[k]))

    if with_level1 and is_category(0) and (
            norm(cells[0]) in LEVEL1
            or (norm(cells[0]) == "成本指标" and is_category(1) and norm(cells[1]).endswith("成本指标"))):
        state["level1"], state["level2"] = cells.pop(0), ""
    if is_category(0):
        state["level2"] = cells.pop(0)
    plain = []
    while cells and len(plain) < 2 and not is_category(0):
        plain.append(cells.pop(0))
    return (plain + ["", ""])[:2]


def indicator(state, level3, val):
    return {"level1": state["level1"], "level2": state["level2"],
            "level3": level3, "value": indicator_value(val)}


def indicator_rows(rows, form):
    """Drops a row whose cells are a prefix of the next row's: the PDF
    extraction repeated a row, once garbled (财务管理费 满意度指标)."""
    out = []
    for i, r in enumerate(rows):
        if r and i + 1 < len(rows) and rows[i + 1][:len(r)] == r:
            warn(f"{form}: dropped indicator row repeating the next one: {r}")
        else:
            out.append(r)
    return out


def department_form(f):
    def amounts(pairs):
        return compact({k: amount(f.get(name, nth)) for k, name, nth in pairs})

    key_tasks = []
    for row in f.rows_between("年度重点任务", "年度绩效目标"):
        if len(row) != 2:
            warn(f"department form: key task row with {len(row)} cells: {row}")
        key_tasks.append({"function": pick(row, 0), "task": " ".join(row[1:])})
    state, indicators = {"level1": "", "level2": ""}, []
    for row in indicator_rows(f.rows_between("年度绩效指标", None), "department form"):
        level3, val = take_indicator(row, state, True)
        if level3 or val:  # rows with only a category are the form's skeleton
            indicators.append(indicator(state, level3, val))
        if row:
            warn(f"department form: unattributed indicator cells {row}")
    return {
        "year": f.year,
        "department": f.get("部门名称"),
        "internal_divisions": f.get("内设职能部门数"),
        "budget_units": f.get("所属预算单位数"),
        "authorized_staff": f.get("核定的人员编制数"),
        "actual_staff": f.get("实际在职人员总数"),
        "staff_on_roll": f.get("在编人员数"),
        "other_staff": f.get("其他人员数"),
        "duties": f.get("部门职责"),
        "strategic_goal": f.get("部门战略目标"),
        # 合计 appears twice on its row: by source (left), by use (right)
        "funds_by_source": amounts([
            ("total", "合计", 0), ("general", "一般公共预算资金", 0),
            ("gov_fund", "政府性基金预算资金", 0), ("state_capital", "国有资本经营预算资金", 0),
            ("social_insurance", "社会保险基金预算资金", 0), ("special", "专户管理资金", 0),
            ("unit", "单位资金", 0)]),
        "funds_by_use": amounts([("total", "合计", 1), ("basic", "基本支出", 0),
                                 ("project", "项目支出", 0)]),
        "key_tasks": key_tasks,
        "annual_goal": f.get("年度绩效目标"),
        "indicators": indicators,
    }


def project_form(f):
    name = f.get("项目名称")
    authority, unit = f.get("主管部门及代码"), f.get("实施单位")
    if unit is None:  # label lost in extraction: the unit follows the authority
        rest = f.after("主管部门及代码")
        unit = pick(rest, 1)
        warn(f"{name}: no 实施单位 label; took {unit!r} after the 主管部门 cell")

    def funds(nth):  # nth = 0: 实施期 (left), 1: 年度 (right)
        return compact({
            "total": amount(f.get("实施期资金总额" if nth == 0 else "年度资金总额")),
            "central": amount(f.get("中央财政资金", nth)),
            "provincial": amount(f.get("省级财政资金", nth)),
            "local": amount(f.get("市县(区)财政资金", nth)),
            "self_raised": amount(f.get("单位自筹", nth)),
            "other": amount(f.get("其他资金", nth)),
        })

    goals = f.after("总体目标") + ["", ""]
    period_state, annual_state = {"level1": "", "level2": ""}, {"level1": "", "level2": ""}
    period, annual = [], []
    for row in indicator_rows(f.rows_between("一级指标", "负责人"), name):
        p = take_indicator(row, period_state, True)
        annual_state["level1"] = period_state["level1"]  # 一级指标 spans both halves
        a = take_indicator(row, annual_state, False)
        if any(p):
            period.append(indicator(period_state, *p))
        if any(a):
            annual.append(indicator(annual_state, *a))
        if any(p) != any(a) or row:
            warn(f"{name}: garbled indicator row: 实施期 {p}, 年度 {a}, unattributed {row}")
    return {
        "year": f.year,
        "name": name,
        "authority": authority,
        "implementing_unit": unit,
        "attribute": f.get("项目属性"),
        "period": f.get("项目期"),
        "period_funds": funds(0),
        "annual_funds": funds(1),
        "overview": f.get("项目概况"),
        "basis": f.get("立项依据"),
        "necessity": f.get("项目设立必要性"),
        "safeguards": f.get("保证项目实施的制度、措施"),
        "plan": f.get("项目实施计划"),
        "period_goal": goals[0],
        "annual_goal": goals[1],
        "period_indicators": period,
        "annual_indicators": annual,
        "responsible": f.get("负责人"),
        "handler": f.get("经办人"),
        "phone": f.get("联系电话"),
        "filed_on": f.get("填报日期"),
    }


def performance(lines):
    """Splits the forms section at the form titles and reads each form."""
    start = next(i for i, x in enumerate(lines) if x.strip() == FORMS_START)
    end = next(i for i, x in enumerate(lines) if i > start and x.strip() == FORMS_END)
    forms = []  # (kind, lines after the title, blank lines dropped)
    for line in lines[start + 1:end]:
        text = line.strip()
        if not text:
            continue
        if DEPARTMENT_FORM in text or PROJECT_FORM in text:
            forms.append((DEPARTMENT_FORM if DEPARTMENT_FORM in text else PROJECT_FORM, []))
        elif forms:
            forms[-1][1].append(line)
    out = {"projects": []}
    for kind, body in forms:
        if kind == DEPARTMENT_FORM:
            out["department"] = department_form(Form(body))
        else:
            out["projects"].append(project_form(Form(body)))
    return out


# ---------------------------------------------------------------- main


def main():
    ref = Path(sys.argv[1]) if len(sys.argv) > 1 else REFERENCE
    lines = ref.read_text(encoding="utf-8").splitlines()
    department, t = read_tables(lines)

    TSV_OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(TSV_OUT, "w", encoding="utf-8", newline="\n") as f:
        for n in range(1, len(TABLES) + 1):
            for row in t[f"t{n}"]:
                f.write("\t".join([f"t{n}", *row]) + "\n")

    year = int(re.match(r"\d{4}", TABLES[0][0]).group())
    # units: 表11 rows after 部门合计
    units = [r[0] for r in t["t11"] if r[0] != "部门合计" and not r[0].startswith(NOTE)]
    t1_year_end = next((r for r in t["t1"] if pick(r, 2) == "年终结转"), [])
    budget = {
        "template": "sx-2025",
        "department": department,
        "year": year,
        "units": units,
        "functions": functions(t),
        "fiscal_carryover": fiscal_carryover(t["t4"]),
        **compact({"year_end_carryover": amount(pick(t1_year_end, 3))}),
        "economic": economic(t["t6"]),
        "fund_income": income_table(t["t7"]),
        "capital_income": income_table(t["t9"]),
        "three_public": three_public(t["t10"]),
        "operating_costs": [{"unit": r[0], "funds": sources(r, 2, FUND_KEYS)}
                            for r in t["t11"] if r[0] in units],
        "projects": projects(t["t12"], department, units),
        "carryover_projects": projects(t["t13"], department, units),
        "performance": performance(lines),
    }
    JSON_OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(JSON_OUT, "w", encoding="utf-8", newline="\n") as f:
        json.dump(budget, f, ensure_ascii=False, indent=1)
        f.write("\n")

    start = next(i for i, x in enumerate(lines) if x.strip() == FORMS_START)
    end = next(i for i, x in enumerate(lines) if i > start and x.strip() == FORMS_END)
    with open(FORMS_OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines[start:end]) + "\n")

    print(f"{TSV_OUT.relative_to(ROOT)}:")
    for n, (title, _, _) in enumerate(TABLES, 1):
        print(f"  t{n:<3}{len(t[f't{n}']):>3} rows  {title}")
    print(f"{JSON_OUT.relative_to(ROOT)}: {len(budget['functions']['lines'])} function lines, "
          f"{len(budget['projects'])} projects, "
          f"{len(budget['performance']['projects'])} project forms")
    for w in warnings:
        print(f"note: {w}")


if __name__ == "__main__":
    main()
