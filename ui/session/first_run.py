"""First run on an empty database: the depot and its first administrator."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from depot_app.errors import DepotError, ValidationError
from depot_app.readmodels import DepotView
from depot_app.services.setup import FirstRunRequest
from ui import theme
from ui.context import AppContext
from ui.operations import session as ops
from ui.session.header import dialog_header, footer_text
from ui.widgets.busy import BusyState
from ui.widgets.fields import FieldForm

MALAYSIAN_STATES = (
    "Johor", "Kedah", "Kelantan", "Melaka", "Negeri Sembilan", "Pahang", "Perak", "Perlis",
    "Pulau Pinang", "Sabah", "Sarawak", "Selangor", "Terengganu",
    "W.P. Kuala Lumpur", "W.P. Labuan", "W.P. Putrajaya",
)


class FirstRunDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.depot: DepotView | None = None
        self.setWindowTitle("Depot – Set up this database")
        self.setMinimumWidth(560)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.setSpacing(8)
        layout.addWidget(dialog_header(
            "Set up this database",
            "This database is empty. Name the depot it serves and create the first "
            "administrator account; the administrator then adds the other staff."))

        self.form = FieldForm()
        f = self.form
        f.add_section("The depot")
        f.add_field("depot_code", "Depot code", QLineEdit())
        f.field("depot_code").setMaxLength(6)
        f.field("depot_code").setPlaceholderText("2 to 6 letters; starts every detainee "
                                                 "number, e.g. SMY")
        f.add_field("depot_name", "Depot name", QLineEdit())
        f.field("depot_name").setPlaceholderText("e.g. Depot Imigresen Semenyih")
        state = QComboBox()
        state.setEditable(True)
        state.addItems(MALAYSIAN_STATES)
        state.setCurrentIndex(-1)
        state.lineEdit().setPlaceholderText("Choose or type")
        f.add_field("depot_state", "State", state)
        f.add_section("The first administrator")
        f.add_field("admin_username", "User name", QLineEdit())
        f.field("admin_username").setPlaceholderText("lower case: letters, digits, . _ -")
        f.add_field("admin_full_name", "Full name", QLineEdit())
        for name, label in (("admin_password", "Password"),
                            ("admin_password_again", "Password again")):
            edit = QLineEdit()
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            f.add_field(name, label, edit)
        layout.addWidget(f)

        buttons = QDialogButtonBox()
        self.create_button = buttons.addButton("Create depot and administrator",
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setDefault(True)
        theme.mark_primary(self.create_button)
        cancel = buttons.addButton("Quit", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAutoDefault(False)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if ctx.database:
            layout.addWidget(footer_text(ctx.database.display, ctx.workstation))

        inputs = [f.field(n) for n in ("depot_code", "depot_name", "depot_state",
                                       "admin_username", "admin_full_name", "admin_password",
                                       "admin_password_again")]
        self._busy = BusyState(self.create_button, "Creating…", inputs)
        f.field("depot_code").setFocus()

    def _text(self, name: str) -> str:
        widget = self.form.field(name)
        return widget.currentText() if isinstance(widget, QComboBox) else widget.text()

    def request(self) -> FirstRunRequest:
        return FirstRunRequest(
            depot_code=self._text("depot_code").strip().upper(),
            depot_name=self._text("depot_name"), depot_state=self._text("depot_state"),
            admin_username=self._text("admin_username"),
            admin_full_name=self._text("admin_full_name"),
            admin_password=self._text("admin_password"),
            admin_password_again=self._text("admin_password_again"),
        )

    @property
    def admin_username(self) -> str:
        return self._text("admin_username").strip().lower()

    def submit(self) -> None:
        if self._busy.active:
            return
        self.form.clear_errors()
        self._busy.begin()
        (ops.first_run(self.ctx, self.request()).parent(self)
         .finished(self._busy.end).success(self._done).failure(self._refused)
         .run_in_background())

    def _done(self, depot: DepotView) -> None:
        self.depot = depot
        self.accept()

    def _refused(self, exc: DepotError) -> None:
        if isinstance(exc, ValidationError):
            self.form.show_errors(exc.fields)
        else:
            self.form.show_message(str(exc))

    def reject(self) -> None:
        if not self._busy.active:
            super().reject()
