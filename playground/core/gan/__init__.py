"""The GAN task: a generator and a discriminator trained against each other (see :mod:`.trainer`)."""
