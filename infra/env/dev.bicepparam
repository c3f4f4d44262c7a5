// Development: smallest footprint. Deploy with docs/deployment.md.
using '../main.bicep'

param environmentName = 'dev'
param maximumInstanceCount = 40
param instanceMemoryMB = 2048
param storageSku = 'Standard_LRS'
param logRetentionInDays = 30
// Short, so that a torn-down dev vault frees its name after a week (purge protection forbids purging it sooner).
param keyVaultSoftDeleteRetentionInDays = 7
