"""Declarations of the task-specific part of the training section: ``training.gan`` and ``training.vae``.

Like every other setting these drive the validator, the Hyperparameters panel and the help text.
A preset of another task has no such section; one of these tasks gets the defaults filled in.
"""

from __future__ import annotations

from playground.core.params import CHOICE, FLOAT, INT, Param, ParamGroup

LATENT_SIZE = Param("latent_size", INT, 2, "Length of the random code a sample is made from. Two dimensions "
                    "can be drawn as a plane; more give the model room for detail.", minimum=1, maximum=1024)

GAN_LOSSES = ("non_saturating", "least_squares", "hinge", "wgan_gp")
LATENT_DISTRIBUTIONS = ("normal", "uniform", "mixture")  # drawn by playground.core.tasks.gan.latent

GAN_OPTIONS = ParamGroup(
    "gan", "How the generator and the discriminator are trained against each other.",
    (
        LATENT_SIZE,
        Param("latent_distribution", CHOICE, "normal", "Where the generator's noise comes from: normal (a "
              "standard normal in each dimension), uniform (on [-1, 1] in each dimension) or mixture (a random "
              "pick among separate small clusters, so the generator can send each cluster to its own island of "
              "the data instead of smearing samples across the gaps between islands).",
              choices=LATENT_DISTRIBUTIONS),
        Param("mixture_components", INT, 100, "How many clusters mixture noise is drawn from (mixture only). "
              "Their centres are drawn once from a standard normal (from the preset's seed), each cluster with a "
              "spread of 0.005; use more clusters than the data has separate islands.",
              minimum=2, maximum=1000,
              applies_when=("latent_distribution", ("mixture",))),
        Param("loss", CHOICE, "non_saturating", "The game the two networks play. non_saturating: the original "
              "GAN with the generator maximising log D(G(z)); least_squares: LSGAN's squared error; hinge: the "
              "margin loss of modern image GANs; wgan_gp: Wasserstein critic with a gradient penalty.",
              choices=GAN_LOSSES),
        Param("gp_weight", FLOAT, 10.0, "Weight of WGAN-GP's gradient penalty, which keeps the critic's slope "
              "near 1 (used by wgan_gp only).", minimum=0, maximum=1000,
              applies_when=("loss", ("wgan_gp",))),
        Param("label_smoothing", FLOAT, 0.0, "One-sided label smoothing: the discriminator aims at this much "
              "below 1 on real samples, which keeps it from growing overconfident (0 turns it off; used by "
              "non_saturating and least_squares only).", minimum=0, maximum=0.5,
              applies_when=("loss", ("non_saturating", "least_squares"))),
        Param("d_steps", INT, 1, "Discriminator updates for every generator update.", minimum=1, maximum=100),
        Param("pack", INT, 1, "PacGAN packing: the discriminator judges this many samples at once (joined "
              "side by side), so a generator that repeats itself is easy to spot; fights mode collapse. The "
              "discriminator's input grows this many times.", minimum=1, maximum=16),
        Param("d_learning_rate", FLOAT, None, "The discriminator's own learning rate; empty uses the "
              "generator's (the main learning rate).", minimum=0, maximum=1e6, exclusive_minimum=True,
              log_scale=True, optional=True),
    ),
)

VAE_OPTIONS = ParamGroup(
    "vae", "How the variational autoencoder balances rebuilding its input against an orderly latent space.",
    (
        LATENT_SIZE,
        Param("reconstruction", CHOICE, "bernoulli", "How a reconstruction is scored: bernoulli (binary "
              "cross-entropy, for images in [0, 1]) or gaussian (squared error).", choices=("bernoulli", "gaussian")),
        Param("beta", FLOAT, 1.0, "Weight of the KL term. Above 1 pushes towards independent, interpretable "
              "latent dimensions at the cost of sharper reconstructions.", minimum=0, maximum=1000),
        Param("beta_warmup", INT, 0, "Steps over which the KL weight rises linearly from 0 to beta, so the "
              "decoder learns to use the code before it is squeezed (0: full weight from the start).",
              minimum=0, maximum=10**9),
    ),
)

TASK_OPTIONS: dict[str, ParamGroup] = {"gan": GAN_OPTIONS, "vae": VAE_OPTIONS}

# figures a VAE preset's target may name (see playground.core.tasks.vae.metrics for their meaning)
VAE_TARGET_METRICS = ("test_reconstruction", "test_kl", "test_squared_error", "test_error_vs_pca",
                      "test_position_corr", "test_active_units")

# figures a GAN preset's target may name (see playground.core.tasks.gan.task.GanTask.evaluate)
GAN_TARGET_METRICS = ("modes_covered", "high_quality", "precision", "recall", "classes_covered")
