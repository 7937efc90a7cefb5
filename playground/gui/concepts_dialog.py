"""Help → Concepts: a searchable two-pane reference generated from the core's declarations.

Topics (datasets, layers, activations, optimisers, schedules, regularisation, initialisations,
tasks, training settings) come from the same tables the editors and the validator use; only the
short introductions of each group are written here, because no declaration holds them.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from playground.core.data.registry import DATASETS
from playground.core.layers import CATEGORIES, LAYERS
from playground.core.params import CHOICE, FEATURES, Param
from playground.core.tasks.catalog import TASKS
from playground.core.tasks.task_options import TASK_OPTIONS
from playground.core.training_options import EARLY_STOPPING, OPTIMIZERS, SCHEDULERS, TRAINING, WEIGHT_DECAY
from playground.core.weight_init import INITS
from playground.gui.editor_support import choice_label, declared, format_number, label_for, pretty_name
from playground.gui.panels.hyperparameters_panel import OPTIMIZER_TITLES

PAGE_ROLE = Qt.ItemDataRole.UserRole
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1


class ConceptsDialog(QDialog):
    """Topics on the left (filtered by the search box), the chosen topic's page on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Concepts"))
        self.setObjectName("conceptsDialog")
        self.resize(900, 560)
        self.search = QLineEdit()
        self.search.setObjectName("conceptSearch")
        self.search.setPlaceholderText(self.tr("Search concepts…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.filter)
        self.tree = QTreeWidget()
        self.tree.setObjectName("conceptTree")
        self.tree.setHeaderHidden(True)
        self.tree.currentItemChanged.connect(self._show)
        self.page = QTextBrowser()
        self.page.setObjectName("conceptPage")
        self.page.setOpenExternalLinks(False)
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(self.page)
        splitter.setSizes([260, 640])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self._build()
        self.tree.setCurrentItem(self.tree.topLevelItem(0))

    # ---- topics ------------------------------------------------------------------------------
    def _build(self) -> None:
        datasets = self._group(self.tr("Datasets"), self.tr(
            "The points a network learns from. Toy datasets are generated from a seed; noise, size and the "
            "share used for training are settings. Test points are held back to check generalisation."))
        for d in DATASETS.values():
            self._topic(datasets, declared(d.title), d.help, d.params)
        layers = self._group(self.tr("Layers"), self.tr(
            "The building blocks of a network. Each layer turns the values it receives into new values; "
            "its settings decide how many and how."))
        for category in CATEGORIES:
            if category == "Activation":
                continue
            members = [t for t in LAYERS.values() if t.category == category]
            if members:
                node = self._group(declared(category), "", layers)
                for t in members:
                    self._topic(node, t.name, t.help, t.params)
        acts = self._group(self.tr("Activations"), self.tr(
            "A non-linear function applied to every value. Without activations, stacked Linear layers "
            "collapse into a single linear map and can only draw straight boundaries."))
        for t in LAYERS.values():
            if t.category == "Activation":
                self._topic(acts, t.name, t.help, t.params)
        opts = self._group(self.tr("Optimisers"), self.tr(
            "How the weights are changed after each batch, using the gradient of the loss."))
        for name, g in OPTIMIZERS.items():
            self._topic(opts, declared(OPTIMIZER_TITLES.get(name, name)), g.help, g.params)
        sched = self._group(self.tr("Schedules"), self.tr(
            "How the learning rate changes during a run: large steps early, small steps to settle."))
        for name, g in SCHEDULERS.items():
            self._topic(sched, choice_label(name), g.help, g.params)
        reg = self._group(self.tr("Regularisation"), self.tr(
            "Ways to stop a network from memorising its training points (overfitting), so that it also "
            "works on points it never saw: penalise large weights, drop values at random, or stop early."))
        self._topic(reg, "L1", TRAINING.param("l1").help, (TRAINING.param("l1"),))
        self._topic(reg, "L2", TRAINING.param("l2").help, (TRAINING.param("l2"),))
        self._topic(reg, label_for(WEIGHT_DECAY), WEIGHT_DECAY.help, (WEIGHT_DECAY,))
        self._topic(reg, "Dropout", LAYERS["Dropout"].help, LAYERS["Dropout"].params)
        self._topic(reg, declared(pretty_name(EARLY_STOPPING.name)), EARLY_STOPPING.help,
                    EARLY_STOPPING.params)
        inits = self._group(self.tr("Initialisations"), self.tr(
            "The starting values of the weights. Training begins from them, so they decide how fast "
            "(and whether) a network learns."))
        for name, g in INITS.items():
            self._topic(inits, choice_label(name), g.help, g.params)
        tasks = self._group(self.tr("Tasks"), self.tr("What the network is asked to learn."))
        for t in TASKS.values():
            options = TASK_OPTIONS.get(t.name)
            self._topic(tasks, declared(t.title), t.help + (" " + options.help if options else ""),
                        options.params if options else ())
        training = self._group(self.tr("Training"), declared(TRAINING.help))
        for p in TRAINING.params:
            self._topic(training, label_for(p), p.help, (p,))

    def _group(self, title: str, intro: str, parent: QTreeWidgetItem | None = None) -> QTreeWidgetItem:
        item = QTreeWidgetItem([title])
        font = item.font(0)
        font.setBold(parent is None)
        item.setFont(0, font)
        (parent.addChild if parent is not None else self.tree.addTopLevelItem)(item)
        page = f"<h2>{html.escape(title)}</h2><p>{html.escape(intro, quote=False)}</p>" if intro else ""
        item.setData(0, PAGE_ROLE, page or f"<h2>{html.escape(title)}</h2>")
        item.setData(0, SEARCH_ROLE, f"{title} {intro}".lower())
        return item

    def _topic(self, parent: QTreeWidgetItem, title: str, help_text: str, params: tuple[Param, ...]) -> None:
        text = declared(help_text)
        item = QTreeWidgetItem([title])
        item.setToolTip(0, text)
        parent.addChild(item)
        page = f"<h2>{html.escape(title)}</h2><p>{html.escape(text, quote=False)}</p>"
        if params:
            page += self._table(params)
        item.setData(0, PAGE_ROLE, page)
        words = " ".join(f"{p.name} {label_for(p)} {declared(p.help)}" for p in params)
        item.setData(0, SEARCH_ROLE, f"{title} {text} {words}".lower())

    def _table(self, params: tuple[Param, ...]) -> str:
        head = (self.tr("Setting"), self.tr("Default"), self.tr("Allowed"), self.tr("Meaning"))
        rows = ["<tr>" + "".join(f"<th align='left'>{html.escape(h)}</th>" for h in head) + "</tr>"]
        for p in params:
            cells = (f"<b>{html.escape(label_for(p))}</b><br><code>{p.name}</code>", self._default(p),
                     self._allowed(p), html.escape(declared(p.help), quote=False))
            rows.append("<tr>" + "".join(f"<td valign='top'>{c}</td>" for c in cells) + "</tr>")
        return ("<h3>" + html.escape(self.tr("Settings")) + "</h3>"
                "<table cellspacing='0' cellpadding='4' border='1' style='border-collapse: collapse'>"
                + "".join(rows) + "</table>")

    def _default(self, p: Param) -> str:
        if p.default is None:
            return html.escape(self.tr("off"))
        if isinstance(p.default, bool):
            return html.escape(self.tr("on") if p.default else self.tr("off"))
        if isinstance(p.default, (int, float)):
            return format_number(p.default)
        if isinstance(p.default, list):
            return html.escape(", ".join(str(v) for v in p.default))
        return html.escape(str(p.default)) or "—"

    def _allowed(self, p: Param) -> str:
        if p.kind in (CHOICE, FEATURES):
            text = ", ".join(str(c) for c in p.choices)
        elif p.minimum is not None or p.maximum is not None:
            low = format_number(p.minimum) if p.minimum is not None else "−∞"
            high = format_number(p.maximum) if p.maximum is not None else "∞"
            text = f"{'(' if p.exclusive_minimum else '['}{low}, {high}]"
            text += f" {p.unit}" if p.unit else ""
        else:
            text = "—"
        if p.optional:
            text += " " + self.tr("or empty (off)")
        return html.escape(text)

    # ---- navigation --------------------------------------------------------------------------
    def _show(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None = None) -> None:
        self.page.setHtml(item.data(0, PAGE_ROLE) if item is not None else "")

    def filter(self, text: str) -> None:
        """Show the topics whose title, help or settings mention ``text`` (and their groups)."""
        query = text.strip().lower()

        def visit(item: QTreeWidgetItem, shown_by_parent: bool) -> bool:
            own = not query or query in item.data(0, SEARCH_ROLE)
            if item.childCount() == 0:
                visible = own or shown_by_parent
            else:
                visible = False
                for i in range(item.childCount()):
                    visible = visit(item.child(i), shown_by_parent or (own and bool(query))) or visible
                visible = visible or own
            item.setHidden(not visible)
            return visible

        for i in range(self.tree.topLevelItemCount()):
            visit(self.tree.topLevelItem(i), False)
        if query:
            self.tree.expandAll()
            first = next((t for t in self.topic_items() if not t.isHidden()), None)
            if first is not None:
                self.tree.setCurrentItem(first)

    def topic_items(self) -> list[QTreeWidgetItem]:
        """Every topic (leaf) in the tree, in order."""
        found: list[QTreeWidgetItem] = []

        def walk(item: QTreeWidgetItem) -> None:
            if item.childCount() == 0:
                found.append(item)
            for i in range(item.childCount()):
                walk(item.child(i))

        for i in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(i))
        return found

    def visible_topics(self) -> list[str]:
        """Titles of the topics the search leaves visible (a topic is visible when it and its groups are)."""
        def shown(item: QTreeWidgetItem | None) -> bool:
            return item is None or (not item.isHidden() and shown(item.parent()))

        return [t.text(0) for t in self.topic_items() if shown(t)]
