// The Function App on the Flex Consumption plan (Linux) running our custom handler: a self-contained linux-x64
// executable named in host.json, so the 'custom' runtime needs no .NET in the image. System-assigned identity,
// HTTPS only, TLS 1.2, no basic-auth publishing. App settings are applied by appsettings.bicep once the identity
// holds its roles.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Name of the Function App (globally unique host name).')
param functionAppName string

@description('Name of the Flex Consumption plan.')
param planName string

@description('URL of the blob container the platform deploys packages from.')
param deploymentContainerUrl string

@description('Upper bound on instances.')
param maximumInstanceCount int

@description('Memory per instance in MB.')
param instanceMemoryMB int

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    // Linux.
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            // The platform reads (and az publishes) the package with the app's own identity: no storage key.
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'custom'
        version: '1.0'
      }
    }
  }
}

// Publishing goes through Entra ID (az sends the signed-in user's token to the Flex publish endpoint), so
// user/password publishing credentials stay off.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

@description('Name of the Function App.')
output functionAppName string = app.name

@description('Default host name of the Function App.')
output defaultHostName string = app.properties.defaultHostName

@description('Object id of the system-assigned identity.')
output principalId string = app.identity.principalId
