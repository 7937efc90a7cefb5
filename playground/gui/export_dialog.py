"""File → Export…: pick a format (each with a line on what it is for) and where to write it.

The last format and folder are remembered (QSettings). The export itself runs on the training
thread; its verification (ONNX and TorchScript are compared with PyTorch) is shown when it ends.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from playground.core.export_formats import FORMATS, SUFFIXES

RUN_FOLDER = "run_folder"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ExportDialog", text)


class ExportDialog(QDialog):
    """Choose a format and a destination; ``choice()`` gives (format, path) after acceptance."""

    def __init__(self, parent, default_name: str, networks: tuple[str, ...] = ("main",)) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export"))
        self.setMinimumWidth(560)
        self._default_name = default_name
        settings = QSettings()
        self._folder = str(settings.value("export/folder", str(Path.home())))
        self.formats = QListWidget(self)
        self.formats.setObjectName("exportFormats")
        entries = [(key, _tr(title), _tr(help_text)) for key, (title, help_text) in FORMATS.items()]
        entries.append((RUN_FOLDER, self.tr("Run folder"), self.tr(
            "Weights, metrics (CSV), the preset, a summary and a resumable session, for later analysis.")))
        for key, title, help_text in entries:
            item = QListWidgetItem(f"{title}\n    {help_text}")
            item.setData(256, key)
            item.setToolTip(help_text)
            self.formats.addItem(item)
        last = settings.value("export/format", "onnx")
        keys = [e[0] for e in entries]
        self.formats.setCurrentRow(keys.index(last) if last in keys else keys.index("onnx"))
        self.network = QComboBox(self)
        self.network.setObjectName("exportNetwork")
        titles = {"main": self.tr("Network"), "generator": self.tr("Generator"),
                  "discriminator": self.tr("Discriminator"), "encoder": self.tr("Encoder (image → latent mean and "
                                                                                  "log-variance)"),
                  "decoder": self.tr("Decoder (latent code → image)"),
                  "encoder+decoder": self.tr("Encoder and decoder (image → reconstruction)")}
        for name in networks:
            self.network.addItem(titles.get(name, name), name)
        self.network.setToolTip(self.tr("Which of the task's networks to export"))
        self.network.currentIndexChanged.connect(lambda _i: self._suggest_path())
        self.path = QLineEdit(self)
        self.path.setObjectName("exportPath")
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        export_button = buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        export_button.setObjectName("exportButton")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Format"), self))
        layout.addWidget(self.formats, 1)
        if len(networks) > 1:  # a GAN's generator or discriminator, a VAE's encoder or decoder
            network_row = QHBoxLayout()
            network_row.addWidget(QLabel(self.tr("Network"), self))
            network_row.addWidget(self.network, 1)
            layout.addLayout(network_row)
        else:
            self.network.hide()
        layout.addWidget(QLabel(self.tr("Write to"), self))
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.formats.currentRowChanged.connect(lambda _row: self._suggest_path())
        self._suggest_path()

    def format(self) -> str:
        return self.formats.currentItem().data(256)

    def choice(self) -> tuple[str, str]:
        return self.format(), self.path.text().strip()

    def chosen_network(self) -> str:
        return self.network.currentData()

    def _is_folder_format(self) -> bool:
        return self.format() in ("python", RUN_FOLDER)

    def _suggest_path(self) -> None:
        fmt = self.format()
        stem = self._default_name if self.network.count() < 2 else f"{self._default_name}-{self.chosen_network()}"
        if self._is_folder_format():
            name = f"{stem}-code" if fmt == "python" else f"{self._default_name}-run"
        else:
            suffix = ".torchscript.pt" if fmt == "torchscript" else SUFFIXES[fmt]
            name = f"{stem}{suffix}"
        self.path.setText(str(Path(self._folder) / name))

    def _browse(self) -> None:
        if self._is_folder_format():
            chosen = QFileDialog.getExistingDirectory(self, self.tr("Export to a folder"), self._folder)
        else:
            chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Export to a file"), self.path.text())
        if chosen:
            self.path.setText(chosen)

    def _accept(self) -> None:
        if not self.path.text().strip():
            self.path.setFocus()
            return
        settings = QSettings()
        settings.setValue("export/format", self.format())
        target = Path(self.path.text().strip())
        settings.setValue("export/folder", str(target if self._is_folder_format() else target.parent))
        self.accept()
