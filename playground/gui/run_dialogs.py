"""The questions and warnings the window puts to the user about the run.

- Restart training?: a change that needs a fresh network (data, layers, task, seed) after training
  has begun. Training pauses while it asks, and the question names the step the worker really
  stopped at; declining leaves the run as it was (still training, if it was).
- Training diverged: offers to lower the learning rate tenfold.
- Training failed: the worker's message and traceback; the app stays usable.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QMessageBox

PAUSE_WAIT_MS = 2000  # the worker pauses within one step (milliseconds); this only bounds a stuck one


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def confirm_restart(window) -> bool:
    """Ask before a structural change resets training; True to go ahead."""
    controller = window.controller
    if controller.step == 0 and not controller.running:
        return True
    was_running = controller.running or controller.start_pending
    controller.pause()
    _wait_until_settled(controller)  # the true step, not the last throttled frame's
    answer = QMessageBox.question(
        window, _tr("Restart training?"),
        _tr("This change needs a fresh network, so the training so far (step {step}) will be reset. "
            "Continue?").format(step=f"{controller.step:,}"))
    if answer == QMessageBox.StandardButton.Yes:
        return True
    if was_running:
        controller.start()
    return False


def _wait_until_settled(controller) -> None:
    """Let the worker's answer to the last command arrive (a few milliseconds), within a bound."""
    if controller.settled:
        return
    loop = QEventLoop()
    controller.snapshot.connect(loop.quit)  # each report may be the answer; settled says whether it is
    controller.failed.connect(loop.quit)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(PAUSE_WAIT_MS)
    try:
        while not controller.settled and timer.isActive():
            loop.exec()
    finally:
        timer.stop()
        controller.snapshot.disconnect(loop.quit)
        controller.failed.disconnect(loop.quit)


def offer_lower_learning_rate(window, message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, _tr("Training diverged"), message,
                      QMessageBox.StandardButton.Close, window)
    box.setObjectName("divergedDialog")
    lower = box.addButton(_tr("Lower the learning rate ×0.1"), QMessageBox.ButtonRole.AcceptRole)
    lower.setObjectName("lowerLearningRateButton")

    def on_clicked(button) -> None:
        if button is lower:
            rate = window.experiment.preset.training["learning_rate"] / 10
            window.experiment.edit("training", lambda d: d["training"].update(learning_rate=rate))

    box.buttonClicked.connect(on_clicked)
    box.open()


def show_failure(window, message: str, details: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, _tr("Training failed"), message,
                      QMessageBox.StandardButton.Ok, window)
    box.setObjectName("failureDialog")
    box.setInformativeText(_tr("The app is still usable: fix the cause and press Start or Reset."))
    box.setDetailedText(details)
    box.open()
