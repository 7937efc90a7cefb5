"""The VAE task: encoder with mean and log-variance heads, reparameterisation, decoder, the ELBO.

- :mod:`model` builds the two networks from the preset (the encoder gets the task's heads);
- :mod:`losses` holds the ELBO's terms;
- :mod:`trainer` trains them (:class:`~playground.core.vae.trainer.VaeTrainer`);
- :mod:`latent` is the small API that views and the CLI share (traverse, interpolate, sample, encode, decode);
- :mod:`views` computes what the GUI draws; :mod:`report` writes the CLI's pictures and CSV.
"""
