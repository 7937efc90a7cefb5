"""Train every bundled VAE preset headless and print its figures, the PCA baseline and the seconds.

For each preset: the run's wall-clock seconds with the given thread count (the presets aim at under
about 2 minutes on 2 CPU cores), the test negative ELBO with its reconstruction and KL terms, the active
latent dimensions, the squared reconstruction error next to scikit-learn's PCA with as many
components (fitted on the same training images, measured the same way), and for shapes the best
|correlation| of a latent mean with the true x and y positions.

    PYTHONPATH=$PWD python benchmarks/vae_presets.py [--threads 1] [--presets vae-digits-2d vae-digits vae-shapes]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.decomposition import PCA

from playground.core.presets import load_preset
from playground.core.training.factory import make_trainer

PRESETS = Path(__file__).resolve().parents[1] / "playground" / "presets"
NAMES = ("vae-digits-2d", "vae-digits", "vae-shapes")


def sklearn_pca_error(data, components: int) -> float:
    train = data.x_train.reshape(data.n_train, -1).astype(np.float64)
    test = data.x_test.reshape(data.n_test, -1).astype(np.float64)
    pca = PCA(n_components=components, svd_solver="full").fit(train)
    return float(((test - pca.inverse_transform(pca.transform(test))) ** 2).sum(axis=1).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--presets", nargs="+", default=list(NAMES))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {args.threads} thread(s)")
    for name in args.presets:
        path = PRESETS / f"{name}.json"
        preset = load_preset(path if path.exists() else name)
        trainer = make_trainer(preset, device="cpu")
        start = time.perf_counter()
        status = trainer.run()
        seconds = time.perf_counter() - start
        s = trainer.evaluate()
        target = preset.target
        bound = target["at_least"] if target["at_least"] is not None else target["at_most"]
        relation = ">=" if target["at_least"] is not None else "<="
        met = s[target["metric"]] >= bound if relation == ">=" else s[target["metric"]] <= bound
        pca = sklearn_pca_error(trainer.data, trainer.task.latent_size)
        print(f"\n{name}: {status} after {trainer.step_count} steps in {seconds:.1f} s")
        print(f"  test -ELBO {s['test_loss']:.3f} = reconstruction {s['test_reconstruction']:.3f} + KL "
              f"{s['test_kl']:.3f} nats/image; active dims {s['test_active_units']:.0f} of {trainer.task.latent_size}")
        print(f"  test squared error {s['test_squared_error']:.4f} vs PCA({trainer.task.latent_size}) {pca:.4f} "
              f"(scikit-learn; core's own {s['test_pca_squared_error']:.4f}): ratio {s['test_error_vs_pca']:.3f}")
        if "test_position_corr" in s:
            print(f"  |corr| with x {s['test_factor_x']:.3f}, y {s['test_factor_y']:.3f}; both in different dims "
                  f"{s['test_position_corr']:.3f}")
        print(f"  target {target['metric']} {relation} {bound}: {s[target['metric']]:.4f} "
              f"{'MET' if met else 'NOT MET'}")


if __name__ == "__main__":
    main()
