"""Cancelling a production not yet gone to court: the reason is asked for and kept."""

from __future__ import annotations

from depot_app.services.court.views import ProductionView
from ui import format as fmt
from ui.context import AppContext
from ui.court.dialog_base import CourtDialog
from ui.movements.common import required, text_box
from ui.operations import court as ops


class CancelDialog(CourtDialog):
    def __init__(self, ctx: AppContext, production: ProductionView, parent=None):
        super().__init__(ctx, f"Cancel a production – {production.detainee_no}",
                         "Cancel production", "Cancelling…", parent, width=540)
        self.production = production
        self.header.set_subject(production.detainee_no, production.full_name,
                                f"On the list for {production.court}, "
                                f"{fmt.when(production.scheduled_at)}")
        self.set_intro("The production comes off the list. If the detainee must still be "
                       "produced, schedule another one: the deadline does not move.")
        self.reason = text_box("e.g. court not sitting; detainee in hospital", 3)
        self.form.add_field("reason", required("Reason"), self.reason)
        self.reason.setFocus()

    def field_for(self, key: str) -> str:
        return "reason" if key == "reason" else "production_id"

    def submit(self) -> None:
        if self.busy:
            return
        p = self.production
        self.run(ops.cancel(self.ctx, ops.CancelRequest(p.id, p.version,
                                                        self.reason.toPlainText())),
                 f"{p.detainee_no}: production at {p.court} cancelled.")

    def reload(self) -> None:
        (ops.production(self.ctx, self.production.id).parent(self)
         .success(self._reread).run_in_background())

    def _reread(self, p: ProductionView) -> None:
        self.production = p
