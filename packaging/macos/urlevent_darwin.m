//go:build darwin && cgo

// The receiving end of kAEGetURL: LaunchServices' way of handing a clicked
// link to a running (or just launched) bundle.

#import <Foundation/Foundation.h>
#import <CoreServices/CoreServices.h>

extern void dialbridgeOpenURL(char *url);

@interface DialbridgeURLHandler : NSObject
- (void)handleGetURL:(NSAppleEventDescriptor *)event withReplyEvent:(NSAppleEventDescriptor *)reply;
@end

@implementation DialbridgeURLHandler
- (void)handleGetURL:(NSAppleEventDescriptor *)event withReplyEvent:(NSAppleEventDescriptor *)reply {
	NSString *url = [[event paramDescriptorForKeyword:keyDirectObject] stringValue];
	if (url != nil) {
		dialbridgeOpenURL((char *)[url UTF8String]);
	}
}
@end

static DialbridgeURLHandler *dialbridgeHandler;

void dialbridgeInstallURLHandler(void) {
	if (dialbridgeHandler == nil) {
		dialbridgeHandler = [DialbridgeURLHandler new];
	}
	[[NSAppleEventManager sharedAppleEventManager] setEventHandler:dialbridgeHandler
	                                                   andSelector:@selector(handleGetURL:withReplyEvent:)
	                                                 forEventClass:kInternetEventClass
	                                                    andEventID:kAEGetURL];
}
