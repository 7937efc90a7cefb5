"""The property editor: the selected layer's settings, generated from the registry's declarations.

Ranges, choices and help text come from the layer's :class:`~playground.core.params.Param`
declarations (the same ones the validator and docs use); an edit replaces the layer through the
builder, so every shape below updates at once and the change can be undone.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from playground.core.layers import LAYERS
from playground.gui.editor_support import declared
from playground.gui.param_editors import ParamForm


class LayerProperties(QWidget):
    """Shows one layer; ``edited(key, value)`` when the user changes a setting."""

    edited = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(8, 8, 8, 8)
        self.title = QLabel()
        self.title.setObjectName("propertiesTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.help = QLabel()
        self.help.setObjectName("propertiesHelp")
        self.help.setWordWrap(True)
        self.help.setStyleSheet("color: palette(mid);")
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.help)
        self.form: ParamForm | None = None
        self._type: str | None = None
        self.layout_.addStretch(1)
        self.show_layer(None, None)

    def show_layer(self, layer: dict | None, position: str | None) -> None:
        kind = layer.get("type") if layer else None
        if kind != self._type:
            if self.form is not None:
                self.form.hide()
                self.form.deleteLater()
                self.form = None
            if kind in LAYERS and LAYERS[kind].params:
                self.form = ParamForm(LAYERS[kind].params, self)
                self.form.setObjectName("layerProperties")
                self.form.edited.connect(self.edited)
                self.layout_.insertWidget(2, self.form)
            self._type = kind
        if layer is None:
            self.title.setText(self.tr("No layer selected"))
            self.help.setText(self.tr("Select a block to edit its settings; drag layers from the palette to add "
                                      "them."))
            return
        self.title.setText(self.tr("Layer {position}: {type}").format(position=position, type=kind))
        self.help.setText(declared(LAYERS[kind].help) if kind in LAYERS else "")
        if self.form is not None:
            self.form.set_values(layer)
        elif kind in LAYERS:
            self.help.setText(declared(LAYERS[kind].help) + "\n" + self.tr("This layer has no settings."))
