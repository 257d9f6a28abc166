"""Numbers and texts for the Tag review page: gender tags, the user's overrides, and what changed.

Reading only; writing the overrides file is ``app.overrides``.
"""

from __future__ import annotations

import pandas as pd

from app import data, overrides
from app.i18n import register
from etl.turkish import match_key

register({
    "tr_kind": {"tr": "Öğe türü", "en": "Item kind"},
    "tr_kind_objective": {"tr": "Stratejik hedef", "en": "Objective"},
    "tr_kind_indicator": {"tr": "Gösterge", "en": "Indicator"},
    "tr_kind_activity": {"tr": "Faaliyet", "en": "Activity"},
    "tr_filter_marker": {"tr": "Etiket", "en": "Marker"},
    "tr_tags": {"tr": "Etiketler", "en": "Tags"},
    "tr_tags_caption": {
        "tr": "{n} öğe: {p} temel (2), {s} önemli (1), {z} hedeflenmemiş (0); {o} tanesi kullanıcı düzeltmesi. "
              "Değiştirmek için **Yeni etiket** sütununu düzenleyin, bir not yazın ve kaydedin.",
        "en": "{n} items: {p} principal (2), {s} significant (1), {z} not targeted (0); {o} set by a user "
              "override. To change one, edit the **New marker** column, add a note and save."},
    "tr_col_new_marker": {"tr": "Yeni etiket", "en": "New marker"},
    "tr_col_note": {"tr": "Not", "en": "Note"},
    "tr_col_marker": {"tr": "Etiket", "en": "Marker"},
    "tr_col_rule_marker": {"tr": "Kural etiketi", "en": "Rule marker"},
    "tr_col_source": {"tr": "Kaynak", "en": "Source"},
    "tr_col_reason": {"tr": "Gerekçe", "en": "Reason"},
    "tr_col_terms": {"tr": "Eşleşen terimler", "en": "Matched terms"},
    "tr_col_name": {"tr": "Öğe adı", "en": "Item name"},
    "tr_col_key": {"tr": "Öğe anahtarı", "en": "Item key"},
    "tr_col_year": {"tr": "Yıl", "en": "Year"},
    "tr_col_status": {"tr": "Durum", "en": "Status"},
    "tr_note_placeholder": {"tr": "neden? (ör. kadın danışma merkezi)", "en": "why? (e.g. women's counselling centre)"},
    "tr_save": {"tr": "Değişiklikleri kaydet", "en": "Save changes"},
    "tr_no_changes": {"tr": "Değişiklik yok: kaydedilecek bir şey bulunmadı.", "en": "No changes: nothing to save."},
    "tr_saved": {
        "tr": "{n} düzeltme `{path}` dosyasına kaydedildi. Bir sonraki derlemede (`python -m etl build`) "
              "uygulanacak; o zamana kadar aşağıda **bekliyor** olarak görünür.",
        "en": "{n} override(s) saved to `{path}`. They apply on the next build (`python -m etl build`); until "
              "then they are listed below as **pending**."},
    "tr_save_failed": {"tr": "Kaydedilemedi: {error}", "en": "Could not save: {error}"},
    "tr_pending": {"tr": "Kullanıcı düzeltmeleri", "en": "User overrides"},
    "tr_pending_caption": {
        "tr": "`{path}` dosyasındaki bu belediyeye ait satırlar. **Bekliyor**: ambar henüz bu değerle "
              "derlenmedi (`python -m etl build`). **Uygulandı**: ambardaki etiket bu düzeltmeden geliyor.",
        "en": "Rows of `{path}` for this municipality. **Pending**: the warehouse has not been built with this "
              "value yet (`python -m etl build`). **Applied**: the warehouse's tag comes from this override."},
    "tr_no_pending": {"tr": "Bu belediye için kullanıcı düzeltmesi yok.", "en": "No user overrides for this municipality."},
    "tr_status_pending": {"tr": "bekliyor", "en": "pending"},
    "tr_status_applied": {"tr": "uygulandı", "en": "applied"},
    "tr_status_unknown": {"tr": "öğe ambarda yok", "en": "no such item in the warehouse"},
    "tr_status_mismatch": {"tr": "öğe adı değişti, uygulanmadı", "en": "item renamed, not applied"},
    "tr_remove": {"tr": "Kaldırılacak düzeltmeler", "en": "Overrides to remove"},
    "tr_remove_placeholder": {"tr": "Düzeltme seçin", "en": "Choose overrides"},
    "tr_remove_button": {"tr": "Seçili düzeltmeleri kaldır", "en": "Remove selected overrides"},
    "tr_removed": {
        "tr": "{n} düzeltme kaldırıldı; kural etiketi bir sonraki derlemede geri gelir.",
        "en": "{n} override(s) removed; the rule's marker returns on the next build."},
    "tr_read_only": {
        "tr": "Bu kurulum salt okunur (varsayılan; değiştirmeye izin vermek için `IZLEK_READ_ONLY=0`): etiketler burada değiştirilemez ve hiçbir dosya "
              "yazılmaz. Etiketleri **Veri ambarı** sayfasındaki `gender_tags` ilişkisinde görebilirsiniz.",
        "en": "This installation is read-only (the default; `IZLEK_READ_ONLY=0` allows changes): tags cannot be changed here and no file is "
              "written. The tags are in the `gender_tags` relation on the **Warehouse** page."},
})

KINDS = overrides.ITEM_KINDS
MARKERS = (2, 1, 0)


def tags(mid: str, kinds: list[str] | None = None, markers: list[int] | None = None) -> pd.DataFrame:
    """Gender tags of one municipality, optionally only some kinds and markers (empty list = all)."""
    kinds = [k for k in (kinds or []) if k in KINDS]
    markers = [int(m) for m in (markers or []) if int(m) in MARKERS]
    return data.query(
        """select item_kind, item_key, year, item_name, marker, rule_marker, tag_source, reason, matched_terms
           from gender_tags
           where municipality_id = ?
             and (len(?::varchar[]) = 0 or list_contains(?::varchar[], item_kind))
             and (len(?::integer[]) = 0 or list_contains(?::integer[], marker))
           order by case item_kind when 'objective' then 0 when 'indicator' then 1 else 2 end,
                    year nulls first, item_key""", [mid, kinds, kinds, markers, markers])


def editor_frame(tag_rows: pd.DataFrame, pending: pd.DataFrame) -> pd.DataFrame:
    """The tags with two editable columns: ``new_marker`` and ``note``.

    They start from the item's override in the file when there is one (so a pending change is
    visible and editable), else from the warehouse's marker and an empty note.
    """
    df = tag_rows.copy()
    by_key = {(r.item_kind, r.item_key): r for r in pending.itertuples()} if not pending.empty else {}
    starts = [by_key.get((k, i)) for k, i in zip(df["item_kind"], df["item_key"], strict=True)]
    df["new_marker"] = [int(s.marker) if s is not None else int(m) for s, m in zip(starts, df["marker"], strict=True)]
    df["note"] = [s.note if s is not None else "" for s in starts]
    return df


def changes(mid: str, before: pd.DataFrame, after: pd.DataFrame) -> list[dict]:
    """Override rows for the items whose marker or note the user changed in the editor."""
    out = []
    for (_, b), (_, a) in zip(before.iterrows(), after.iterrows(), strict=True):
        marker, note = a["new_marker"], ("" if pd.isna(a["note"]) else str(a["note"]).strip())
        if pd.isna(marker):
            continue
        if int(marker) != int(b["new_marker"]) or note != (b["note"] or ""):
            # The name travels with the override: if the key later names another item, the build
            # reports the row instead of moving that item's marker.
            name = "" if pd.isna(b.get("item_name")) else str(b.get("item_name") or "")
            out.append({"municipality_id": mid, "item_kind": b["item_kind"], "item_key": b["item_key"],
                        "marker": int(marker), "note": note, "item_name": name})
    return out


def pending(mid: str) -> pd.DataFrame:
    """The file's overrides for this municipality, with whether the warehouse already applied them
    (``applied``, ``pending``, ``unknown`` item, or ``mismatch``: saved for an item of another name)."""
    rows = [r for r in overrides.read() if r["municipality_id"] == mid]
    cols = ["item_kind", "item_key", "marker", "note", "date", "status", "item_name", "warehouse_marker"]
    if not rows:
        return pd.DataFrame(columns=cols)
    df = pd.DataFrame(rows).rename(columns={"item_name": "saved_name"})
    state = data.query(
        """select item_kind, item_key, any_value(item_name) as item_name, max(marker) as warehouse_marker,
                  bool_or(tag_source = 'override') as from_override
           from gender_tags where municipality_id = ? group by item_kind, item_key""", [mid])
    df = df.merge(state, on=["item_kind", "item_key"], how="left")
    df["marker"] = pd.to_numeric(df["marker"], errors="coerce")

    def status(r) -> str:
        if pd.isna(r["warehouse_marker"]):
            return "unknown"
        # The build leaves out an override saved for another name (etl.build): say so here too.
        if r["saved_name"] and not pd.isna(r["item_name"]) and match_key(r["saved_name"]) != match_key(r["item_name"]):
            return "mismatch"
        applied = bool(r["from_override"]) and r["warehouse_marker"] == r["marker"]
        return "applied" if applied else "pending"

    df["status"] = df.apply(status, axis=1)
    return df[cols]
