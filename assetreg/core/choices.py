"""The closed vocabularies of PRODUCT.md, with the Chinese names accepted on input."""

from __future__ import annotations

from assetreg.i18n import N_

MEMBER_KINDS = ("enterprise", "federation", "company", "association")
RESTRUCTURING = ("not_started", "preparing", "in_progress", "completed", "verified")
CATEGORIES = ("building", "land", "equipment", "vehicle", "equity", "other")
ASSET_STATUSES = ("in_use", "leased", "idle", "damaged", "occupied", "missing", "disposed")
# What a clerk sets by hand (add, edit): `missing` comes from a clearance's shortfall, `disposed` from a disposal.
SET_STATUSES = ASSET_STATUSES[:-2]
SOURCES = ("purchase", "construction", "injection", "transfer_in", "surplus")
BASES = ("appraisal", "book", "market", "clearance", "recovery")
CAUSES = ("damage", "encroachment", "disaster", "depreciation", "shortfall", "other")
METHODS = ("sale", "auction", "transfer_out", "demolition", "write_off")
EVENT_KINDS = ("acquire", "revalue", "impair", "dispose")
PERIODS = ("monthly", "quarterly", "annual")
LEASE_STATUSES = ("active", "ended")
INCIDENT_KINDS = ("encroachment", "occupation", "damage", "illegal_transfer", "land_dispute", "disaster", "other")
INCIDENT_STATUSES = ("open", "mediation", "litigation", "judgment", "resolved", "closed")
CLOSED_STATUSES = ("resolved", "closed")
SEVERITIES = ("low", "medium", "high")
UNITS = ("yuan", "wan")
# The annual clearance (资产清查): what a count found of an asset, and a clearance's own status.
RESULTS = ("found", "differs", "missing")
CLEARANCE_STATUSES = ("open", "closed")

# English display names of stored values (msgids); Chinese comes from the catalogue.
LABELS: dict[str, str] = {
    "enterprise": N_("enterprise"),
    "federation": N_("federation"),
    "company": N_("company"),
    "association": N_("association"),
    "not_started": N_("not started"),
    "preparing": N_("preparing"),
    "in_progress": N_("in progress"),
    "completed": N_("completed"),
    "verified": N_("verified"),
    "building": N_("building"),
    "land": N_("land"),
    "equipment": N_("equipment"),
    "vehicle": N_("vehicle"),
    "equity": N_("equity"),
    "other": N_("other"),
    "in_use": N_("in use"),
    "leased": N_("leased"),
    "idle": N_("idle"),
    "damaged": N_("damaged"),
    "occupied": N_("occupied"),
    "disposed": N_("disposed"),
    "missing": N_("missing"),
    "surplus": N_("surplus"),
    "clearance": N_("clearance"),
    "recovery": N_("recovery"),
    "shortfall": N_("shortfall"),
    "purchase": N_("purchase"),
    "construction": N_("construction"),
    "injection": N_("injection"),
    "transfer_in": N_("transfer in"),
    "appraisal": N_("appraisal"),
    "book": N_("book"),
    "market": N_("market"),
    "damage": N_("damage"),
    "encroachment": N_("encroachment"),
    "disaster": N_("disaster"),
    "depreciation": N_("depreciation"),
    "sale": N_("sale"),
    "auction": N_("auction"),
    "transfer_out": N_("transfer out"),
    "demolition": N_("demolition"),
    "write_off": N_("write-off"),
    "acquire": N_("acquire"),
    "revalue": N_("revalue"),
    "impair": N_("impair"),
    "dispose": N_("dispose"),
    "monthly": N_("monthly"),
    "quarterly": N_("quarterly"),
    "annual": N_("annual"),
    "active": N_("active"),
    "ended": N_("ended"),
    "signed": N_("signed, not started"),  # the rent roll: a lease starting later whose rent was paid ahead
    "occupation": N_("occupation"),
    "illegal_transfer": N_("illegal transfer"),
    "land_dispute": N_("land dispute"),
    "open": N_("open"),
    "mediation": N_("mediation"),
    "litigation": N_("litigation"),
    "judgment": N_("judgment"),
    "resolved": N_("resolved"),
    "closed": N_("closed"),
    "occurred": N_("occurred"),
    "reported": N_("reported"),
    "low": N_("low"),
    "medium": N_("medium"),
    "high": N_("high"),
    "member": N_("member"),
    "asset": N_("asset"),
    "lease": N_("lease"),
    "incident": N_("incident"),
    "scan": N_("scan"),
    "photo": N_("photo"),
    "contract": N_("contract"),
    "letter": N_("letter"),
}

# PRODUCT.md's table: each Chinese name and the values it may stand for.
CHINESE: dict[str, tuple[str, ...]] = {
    "厂房": ("building",),
    "土地": ("land",),
    "设备": ("equipment",),
    "车辆": ("vehicle",),
    "股权": ("equity",),
    "其他": ("other",),
    "自用": ("in_use",),
    "出租": ("leased",),
    "闲置": ("idle",),
    "损坏": ("damaged", "damage"),
    "被占用": ("occupied",),
    "已处置": ("disposed",),
    "下落不明": ("missing",),
    "盘亏": ("shortfall", "missing"),
    "盘盈": ("surplus",),
    "清查核实": ("clearance",),
    "追回": ("recovery",),
    "相符": ("found",),
    "不符": ("differs",),
    "进行中": ("open",),
    "已完成": ("closed",),
    "侵占": ("encroachment",),
    "占用": ("occupation",),
    "非法转让": ("illegal_transfer",),
    "土地纠纷": ("land_dispute",),
    "自然灾害": ("disaster",),
    "台风": ("disaster",),  # what a clerk types for the commonest disaster here; 自然灾害 stays the name shown
    "typhoon": ("disaster",),
    "待处理": ("open",),
    "调解中": ("mediation",),
    "诉讼中": ("litigation",),
    "已判决": ("judgment",),
    "已解决": ("resolved",),
    "已结案": ("closed",),
    "未改制": ("not_started",),
    "改制准备": ("preparing",),
    "改制中": ("in_progress",),
    "已改制": ("completed",),
    "已验收": ("verified",),
    "联社": ("federation",),
    "企业": ("enterprise",),
    "公司": ("company",),
    "片联合会": ("association",),
    "购置": ("purchase",),
    "自建": ("construction",),
    "注资": ("injection",),
    "无偿划入": ("transfer_in",),
    "无偿划出": ("transfer_out",),
    "出售": ("sale",),
    "拍卖": ("auction",),
    "拆除": ("demolition",),
    "核销": ("write_off",),
    "资产评估": ("appraisal",),
    "市价": ("market",),
    "账面": ("book",),
    "折旧": ("depreciation",),
    "按月": ("monthly",),
    "按季": ("quarterly",),
    "按年": ("annual",),
    "有效": ("active",),
    "已终止": ("ended",),
    "低": ("low",),
    "中": ("medium",),
    "高": ("high",),
    # the names a register shows (PRODUCT.md, Language), read back as well
    "房屋建筑物": ("building",),
    "土地使用权": ("land",),
    "机器设备": ("equipment",),
    "运输工具": ("vehicle",),
    "股权投资": ("equity",),
    "筹备改制": ("preparing",),
    "已通过验收": ("verified",),
    "市场价值": ("market",),
    "账面价值": ("book",),
}


# Values whose name depends on what they are a value of: a count's result `missing` is 盘亏 while the
# asset status is 下落不明; a clearance `open` is 进行中 while an incident's is 待处理. Their msgids carry
# a context before "|" that `contextual` leaves out in English.
RESULT_LABELS = {
    "found": N_("clearance result|found"),
    "differs": N_("clearance result|differs"),
    "missing": N_("clearance result|missing"),
    "surplus": N_("clearance result|surplus"),
}
CLEARANCE_STATUS_LABELS = {"open": N_("clearance status|open"), "closed": N_("clearance status|closed")}


def contextual(translated: str) -> str:
    """A contextual msgid as translated: the text after its context (English has no translation)."""
    return translated.split("|", 1)[-1]


def chinese_name(value: str) -> str | None:
    for name, values in CHINESE.items():
        if value in values:
            return name
    return None
