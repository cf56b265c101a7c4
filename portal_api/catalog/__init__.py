"""The portal's apps as Backstage catalog entities."""
