"""The arrest-list import from the window: preview, import in one go, then the cards."""

from __future__ import annotations

from sqlalchemy import func, select

from db.models import Detention
from ui.admission.import_dialog import ImportDialog

HEADER = ("full_name,sex,date_of_birth,nationality,document_type,document_number,arrested_at,"
          "arrest_place,arresting_agency,operation,legal_basis,citizen,employer_name,"
          "employer_registration_no")
ROWS = [
    "Agus Setiawan,M,1990-05-17,IDN,passport,C1234567,2026-11-30T22:15,Pasar Borong Selayang,"
    "Jabatan Imigresen Malaysia,Op Kutip,s.6(1)(c),no,,",
    "Siti Rahayu,F,1995-02-03,IDN,passport,C7654321,2026-11-30T22:20,Pasar Borong Selayang,"
    "Jabatan Imigresen Malaysia,Op Kutip,s.15(1)(c),no,Maju Jaya Sdn Bhd,201501023456",
    "Nobody,X,1990-02-31,ZZZ,passport,C1,2026-11-30T22:20,Pasar,JIM,Op Kutip,s.99,no,,",
    "Aung Kyaw,M,1988-08-08,MMR,none,,2026-11-30T22:30,Pasar Borong Selayang,"
    "Jabatan Imigresen Malaysia,Op Kutip,s.6(1)(c),no,,",
]


def write(tmp_path, rows=ROWS):
    path = tmp_path / "op-kutip.csv"
    path.write_text("\ufeff" + "\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return str(path)


def in_custody(db) -> int:
    with db.read() as uow:
        return uow.session.scalar(select(func.count()).select_from(Detention))


def test_preview_then_import_the_valid_rows_then_print_their_cards(qtbot, clerk_ctx, db,
                                                                   tmp_path):
    dialog = ImportDialog(clerk_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load_file(write(tmp_path))
    qtbot.waitUntil(lambda: dialog.preview is not None and not dialog.running, timeout=10000)
    assert dialog.model.rowCount() == 4
    assert "3</b> to admit" in dialog.summary.text() and "1</b> refused" in dialog.summary.text()
    dialog.filter.setCurrentIndex(1)                          # refused rows only
    assert dialog.model.rowCount() == 1
    why = dialog.model.index(0, 6).data()
    assert "date_of_birth" in why and "nationality" in why and "legal_basis" in why
    dialog.table.setCurrentIndex(dialog.model.index(0, 0))     # the whole reason, below
    assert dialog.row_detail.text().startswith("Row 4: Refused.")
    assert "legal_basis" in dialog.row_detail.text()
    assert dialog.import_button.isEnabled() and dialog.import_button.text() == "&Import 3 rows"
    dialog.strict.setChecked(True)                            # strict: one bad row stops all
    assert not dialog.import_button.isEnabled()
    dialog.strict.setChecked(False)
    assert in_custody(db) == 0
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None and not dialog.running, timeout=15000)
    assert dialog.outcome.imported and dialog.outcome.accepted == 3
    assert in_custody(db) == 3
    assert "Admitted 3 detainees" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()               # the same file not twice
    with qtbot.waitSignal(dialog.sig_print_cards, timeout=2000) as asked:
        dialog.cards_button.click()
    ids, name = asked.args
    assert sorted(ids) == sorted(dialog.outcome.detention_ids) and name == "op-kutip.csv"
    assert not dialog.isVisible()                              # the area prints them


def test_the_admission_area_prints_the_imported_cards_in_one_batch(qtbot, clerk_ctx, db):
    from tests.ui import helpers
    from ui.admission.wizard import AdmissionWizard

    ids = tuple(helpers.admit_many(db, 3, with_cells=False))
    wizard = AdmissionWizard(clerk_ctx)
    qtbot.addWidget(wizard)
    runner = wizard.print_batch(ids, "op-kutip.csv")
    with qtbot.waitSignal(runner.sig_finished, timeout=20000) as printed:
        pass
    job = printed.args[0]
    assert job.document.form_code == "card-sheet"
    assert sorted(c.detention_id for c in job.cards) == sorted(ids)


def test_a_file_that_is_no_list_is_refused_in_words(qtbot, clerk_ctx, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("hello,world\n1,2\n", encoding="utf-8")
    dialog = ImportDialog(clerk_ctx)
    qtbot.addWidget(dialog)
    dialog.load_file(str(path))
    qtbot.waitUntil(lambda: not dialog.running and "…" not in dialog.summary.text(),
                    timeout=10000)
    assert "full_name" in dialog.summary.text()
    assert dialog.preview is None and not dialog.import_button.isEnabled()
