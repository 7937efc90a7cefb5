"""The ``nn-playground`` command: train, list and validate presets without a window.

With no command, or just a preset, it opens the desktop app instead (``playground.gui.app``);
the headless commands never import Qt.

Exit codes: 0 success, 2 bad input (file, preset, data, session, arguments), 3 training diverged,
4 an export failed or did not verify, 130 interrupted with Ctrl+C (the run so far is still written
to --out, as a session that --resume continues).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

EXIT_OK, EXIT_BAD_INPUT, EXIT_DIVERGED, EXIT_INTERRUPTED = 0, 2, 3, 130


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exit code 2 matches ours; keep it short
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"nn-playground: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nn-playground", description="Neural Playground: build and train neural networks. "
                     "With no command (or just a PRESET) it opens the desktop app.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    train = sub.add_parser("train", help="train a preset headless and print its final metrics as JSON")
    train.add_argument("preset", metavar="PRESET", nargs="?",
                       help="a preset file, or the name of a bundled preset (not with --resume)")
    train.add_argument("--resume", metavar="DIR", help="continue a saved run (a session or --out folder) exactly "
                       "where it stopped; --steps then sets the new total")
    length = train.add_mutually_exclusive_group()
    length.add_argument("--steps", type=int, metavar="N", help="train for N optimisation steps")
    length.add_argument("--epochs", type=int, metavar="N", help="train for N passes over the training set")
    train.add_argument("--seed", type=int, metavar="S", help="override the preset's seed")
    train.add_argument("--device", metavar="D", help="auto, cpu, cuda or mps (default: the preset's)")
    train.add_argument("--out", metavar="DIR", help="write metrics.csv, the preset as run, the weights and a "
                       "resumable session here (default with --resume: the resumed folder)")
    train.add_argument("--threads", type=int, metavar="N", help="CPU threads for PyTorch (default: PyTorch's)")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    sub.add_parser("presets", help="list the bundled presets")
    export = sub.add_parser("export", help="export a trained run (or a preset's untrained network)")
    export.add_argument("source", metavar="RUN_DIR_OR_PRESET", help="a folder written by train --out or a saved "
                        "session, or a preset (its freshly initialised network)")
    export.add_argument("--format", required=True, choices=("state_dict", "safetensors", "torchscript", "onnx",
                                                            "python"), help="what to write")
    export.add_argument("--out", required=True, metavar="PATH", help="the file to write (a folder for python)")
    export.add_argument("--network", metavar="NAME", help="which network of a GAN (generator, discriminator) or a "
                        "VAE (encoder, decoder); default: the first")
    export.add_argument("--threads", type=int, metavar="N", help="python format: the CPU threads the run was trained "
                        "with (train's --threads), which train.py sets to repeat its losses exactly "
                        "(default: PyTorch's)")
    validate = sub.add_parser("validate", help="check a preset; print its model summary or every problem")
    validate.add_argument("preset", metavar="PRESET", help="a preset file, or the name of a bundled preset")
    return parser


COMMANDS = ("train", "presets", "validate", "export")
EXIT_EXPORT_FAILED = 4


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or (len(argv) == 1 and argv[0] not in COMMANDS and _names_a_preset(argv[0])):
        from playground.gui.app import run_app  # no command: the desktop app, on PRESET if given

        run_app(argv[0] if argv else None)  # ends the process with the window's exit code
        return EXIT_OK
    args = build_parser().parse_args(argv)
    from playground.core.data import DatasetError
    from playground.core.presets import PresetError
    from playground.core.training.sessions import SessionError

    try:
        if args.command == "presets":
            return _cmd_presets()
        if args.command == "validate":
            return _cmd_validate(args.preset)
        if args.command == "export":
            return _cmd_export(args)
        return _cmd_train(args)
    except (PresetError, DatasetError, SessionError) as exc:
        print(f"nn-playground: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _names_a_preset(arg: str) -> bool:
    """A lone argument opens the app when it is a file or a bundled preset; anything else is read as
    a (mistyped) command, so the user gets the command list rather than a window."""
    from playground.core.presets import bundled_presets

    return not arg.startswith("-") and (Path(arg).exists() or arg in bundled_presets())


def _cmd_presets() -> int:
    from playground.core.presets import bundled_presets, load_preset

    rows = [(name, load_preset(path).description) for name, path in bundled_presets().items()]
    width = max(len(name) for name, _ in rows)
    for name, description in rows:
        print(f"{name.ljust(width)}  {description}")
    return EXIT_OK


def _cmd_validate(reference: str) -> int:
    """The summary of every network (up to and including a layer that fails), then any problems."""
    from playground.core.io_shapes import network_input_shapes
    from playground.core.presets import PresetError, load_preset
    from playground.core.shape_inference import summarize

    try:
        preset = load_preset(reference)
        error = None
    except PresetError as exc:
        error = exc
        try:
            preset = load_preset(reference, check_fit=False)
        except PresetError:
            raise exc from None
    shapes = network_input_shapes(preset)
    if error is not None or None not in shapes.values():
        for name, shape in shapes.items():
            print(summarize(preset.networks[name].layers, shape, name) if shape is not None
                  else f"Network '{name}': input shape is set by the data file")
    if error is not None:
        raise error
    from playground.core.training.factory import make_trainer

    trainer = make_trainer(preset, device="cpu")  # reads the data (a CSV, say) and checks it against the network
    if None in shapes.values():
        print(summarize(preset.networks["main"].layers, trainer.data.input_shape, "main"))
    print(f"{preset.name}: valid")
    return EXIT_OK


def _cmd_train(args: argparse.Namespace) -> int:
    if (args.preset is None) == (args.resume is None):
        raise _bad_argument("give a PRESET to train, or --resume DIR to continue a saved run")
    if args.resume is not None and (args.seed is not None or args.epochs is not None):
        raise _bad_argument("--seed and --epochs belong to a new run; a resumed run keeps its own")
    preset = None if args.resume else _preset_with_overrides(args)
    out = Path(args.out) if args.out else (Path(args.resume) if args.resume else None)
    if out is not None:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _bad_argument(f"--out {out}: cannot make this folder ({exc.strerror or exc})") from None

    import torch

    from playground.core.run_notes import batch_size_note
    from playground.core.run_output import final_metrics
    from playground.core.training.factory import make_trainer
    from playground.core.training.loop import DIVERGED, STOPPED

    if args.threads is not None:
        if args.threads < 1:
            raise _bad_argument("--threads must be at least 1")
        torch.set_num_threads(args.threads)
    trainer = make_trainer(preset) if preset is not None else _resumed(args)
    note = batch_size_note(trainer.training["batch_size"], trainer.data.n_train)
    if note:  # the same words as the window's Hyperparameters panel
        print(f"nn-playground: note: {note}", file=sys.stderr)
    bar = _Progress(trainer.total_steps, enabled=not args.quiet)
    started = time.perf_counter()
    interrupted = False
    try:
        status = trainer.run(on_record=bar.update)
    except KeyboardInterrupt:
        trainer.stop()
        status, interrupted = STOPPED, True
    seconds = time.perf_counter() - started
    bar.close()
    final = final_metrics(trainer, status, seconds)
    if out is not None:
        from playground.core.run_output import write_run

        try:
            write_run(out, trainer, final)
        except OSError as exc:
            print(json.dumps(final))
            raise _bad_argument(f"--out {out}: could not write the results ({exc.strerror or exc})") from None
    print(json.dumps(final))
    if trainer.message:
        print(f"nn-playground: {trainer.message}", file=sys.stderr)
    if status == DIVERGED:
        return EXIT_DIVERGED
    return EXIT_INTERRUPTED if interrupted else EXIT_OK


def _preset_with_overrides(args: argparse.Namespace):
    """The preset with --steps/--epochs/--seed/--device applied and validated like the file."""
    from playground.core.presets import PresetError, load_preset, parse_preset

    preset = load_preset(args.preset)
    data = preset.to_json()
    if args.steps is not None:
        data["training"].update(steps=args.steps, epochs=None)
    if args.epochs is not None:
        data["training"].update(epochs=args.epochs, steps=None)
    if args.seed is not None:
        data["seed"] = args.seed
    if args.device is not None:
        data["device"] = args.device
    if data == preset.to_json():
        return preset
    try:
        return parse_preset(data, preset.source)
    except PresetError as exc:  # blamed on the options, not the file
        raise PresetError(exc.problems, f"{preset.source} with the command-line options") from None


def _resumed(args: argparse.Namespace):
    """A trainer restored from a session folder, ready to continue (to --steps in total if given)."""
    from playground.core.training.sessions import load_session

    trainer = load_session(Path(args.resume), device=args.device)
    if args.steps is not None:
        if args.steps < trainer.step_count:
            raise _bad_argument(f"--steps {args.steps} is fewer than the {trainer.step_count} already done")
        trainer.update_training({**trainer.training, "steps": args.steps, "epochs": None})
    if trainer.status in ("paused", "stopped", "finished"):
        trainer.status = None
    return trainer


def _cmd_export(args: argparse.Namespace) -> int:
    from playground.core.export import ExportError, export
    from playground.core.presets import load_preset
    from playground.core.training.factory import make_trainer
    from playground.core.training.sessions import is_session, load_session

    if args.threads is not None:
        if args.threads < 1:
            raise _bad_argument("--threads must be at least 1")
        import torch

        torch.set_num_threads(args.threads)
    source = Path(args.source)
    if source.is_dir() and is_session(source):
        trainer = load_session(source, device="cpu")
    elif source.is_dir():
        raise _bad_argument(f"{source}: not a run folder (train --out writes one) or a saved session")
    else:
        trainer = make_trainer(load_preset(args.source), device="cpu")
        print(f"nn-playground: {args.source} is a preset: exporting its untrained, freshly initialised network",
              file=sys.stderr)
    try:
        result = export(trainer, args.format, Path(args.out), network=args.network)
    except ExportError as exc:
        print(f"nn-playground: {exc}", file=sys.stderr)
        return EXIT_EXPORT_FAILED
    print(result.summary())
    return EXIT_OK if result.verified is not False else EXIT_EXPORT_FAILED


def _bad_argument(message: str):
    from playground.core.params import Problem
    from playground.core.presets import PresetError

    return PresetError([Problem("", message)], "arguments")


class _Progress:
    """A one-line progress bar on stderr, redrawn at most 10 times a second (plain lines when
    stderr is not a terminal, every 10%)."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = max(total, 1)
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self.started = self.last = time.perf_counter()
        self.shown_tenths = -1
        self.test = ""

    def update(self, record) -> None:
        if not self.enabled:
            return
        figures = record.metrics or {}
        if "modes_covered" in figures:  # a GAN on a mixture of Gaussians
            self.test = (f" modes {figures['modes_covered']:.0f}/{figures['modes_total']:.0f} "
                         f"high-quality {figures['high_quality']:.1%}")
        elif "classes_covered" in figures:  # an image GAN
            self.test = f" classes {figures['classes_covered']:.0f}/{figures['classes_total']:.0f}"
        elif "precision" in figures:
            self.test = f" precision {figures['precision']:.3f} recall {figures['recall']:.3f}"
        elif record.test_accuracy is not None:
            self.test = f" test acc {record.test_accuracy:.3f}"
        elif record.metrics and "test_reconstruction" in record.metrics:  # a VAE: the ELBO's two terms
            m = record.metrics
            self.test = (f" test -ELBO {record.test_loss:.4g} (rec {m['test_reconstruction']:.4g} "
                         f"+ KL {m['test_kl']:.3g})")
        elif record.test_loss is not None:
            self.test = f" test loss {record.test_loss:.4g}"
        now = time.perf_counter()
        fraction = min(record.step / self.total, 1.0)
        if self.tty:
            if now - self.last < 0.1 and record.step < self.total:
                return
            self.last = now
            rate = record.step / max(now - self.started, 1e-9)
            eta = (self.total - record.step) / rate if rate > 0 else 0
            filled = int(fraction * 24)
            line = (f"\r[{'#' * filled}{'.' * (24 - filled)}] {record.step}/{self.total} "
                    f"loss {record.batch_loss:.4g}{self.test} {rate:.0f} steps/s ETA {eta:.0f}s")
            sys.stderr.write(line.ljust(100)[:120])
            sys.stderr.flush()
        elif int(fraction * 10) > self.shown_tenths:
            self.shown_tenths = int(fraction * 10)
            sys.stderr.write(f"step {record.step}/{self.total} loss {record.batch_loss:.4g}{self.test}\n")

    def close(self) -> None:
        if self.enabled and self.tty:
            sys.stderr.write("\n")
            sys.stderr.flush()


if __name__ == "__main__":
    sys.exit(main())
